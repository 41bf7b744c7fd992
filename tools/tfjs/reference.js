// Runs a TensorFlow.js layers model (as written by extract-model.js) with TensorFlow.js's pure-JavaScript
// CPU backend on JPEG photographs and writes what the Java converter is tested against:
//   NAME.png       the model input: the photograph resized to 224×224 (bilinear, align corners, as nsfwjs
//                  does) and rounded to 8 bits, so Java feeds exactly the same pixels (RGB / 255)
//   images.txt     the PNG names, one a line, in row order
//   features.npy   float32 [N, D]: the pooled features (the last Flatten / global pooling layer)
//   probs.npy      float32 [N, K]: the model's output (nsfwjs: softmax over its 5 classes)
// Usage: node reference.js MODEL_DIR OUTDIR IMAGE.jpg...
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

const SIZE = 224;

function npy(file, data, shape) {
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.join(', ') + (shape.length === 1 ? ',' : '') + '), }';
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(new Float32Array(data).buffer);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}

async function loadModel(dir) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

async function main() {
  const [modelDir, out, ...images] = process.argv.slice(2);
  if (!modelDir || !out || images.length === 0) {
    console.error('usage: node reference.js MODEL_DIR OUTDIR IMAGE.jpg...');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const model = await loadModel(modelDir);
  const pooled = model.layers.filter((l) => ['Flatten', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D'].includes(l.getClassName())).pop();
  const both = tf.model({ inputs: model.inputs, outputs: [pooled.output, model.outputs[0]] });
  fs.mkdirSync(out, { recursive: true });
  const names = [];
  const features = [];
  const probs = [];
  let dims;
  for (const file of images) {
    const img = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: true });
    const rgb = new Int32Array(img.width * img.height * 3);
    for (let i = 0; i < img.width * img.height; i++) for (let c = 0; c < 3; c++) rgb[3 * i + c] = img.data[4 * i + c];
    const pixels = tf.tidy(() => tf.image
      .resizeBilinear(tf.tensor3d(rgb, [img.height, img.width, 3]).toFloat(), [SIZE, SIZE], true)
      .round().clipByValue(0, 255));
    const bytes = pixels.dataSync();
    const png = new PNG({ width: SIZE, height: SIZE });
    for (let i = 0; i < SIZE * SIZE; i++) {
      for (let c = 0; c < 3; c++) png.data[4 * i + c] = bytes[3 * i + c];
      png.data[4 * i + 3] = 255;
    }
    const name = path.basename(file).replace(/\.[^.]*$/, '') + '.png';
    fs.writeFileSync(path.join(out, name), PNG.sync.write(png, { colorType: 2 }));
    const [f, p] = tf.tidy(() => both.predict(pixels.div(255).reshape([1, SIZE, SIZE, 3])));
    const pv = Array.from(p.dataSync());
    features.push(...f.dataSync());
    probs.push(...pv);
    dims = [f.shape[1], p.shape[1]];
    tf.dispose([pixels, f, p]);
    names.push(name);
    console.error(name + ': probs ' + pv.map((v) => v.toFixed(4)).join(' '));
  }
  fs.writeFileSync(path.join(out, 'images.txt'), names.join('\n') + '\n');
  npy(path.join(out, 'features.npy'), features, [names.length, dims[0]]);
  npy(path.join(out, 'probs.npy'), probs, [names.length, dims[1]]);
  console.error('tfjs ' + tf.version.tfjs + ' backend ' + tf.getBackend() + ': wrote ' + names.length + ' rows to ' + out
    + ' (features from layer ' + pooled.name + ')');
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
