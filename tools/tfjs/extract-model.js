// Writes an nsfwjs model as a plain TensorFlow.js layers model: model.json + one .bin per weight group.
// nsfwjs ships each model as JavaScript modules (dist/models/<name>/model.min.js exports the model JSON,
// group1-shard*.min.js each export one weight shard as base64); the bytes are written unchanged.
// Usage: node extract-model.js [mobilenet_v2] OUTDIR
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2) {
  console.error('usage: node extract-model.js [MODEL] OUTDIR   (MODEL: mobilenet_v2 (default), mobilenet_v2_mid, inception_v3)');
  process.exit(2);
}
const name = args.length === 2 ? args[0] : 'mobilenet_v2';
const out = args[args.length - 1];
// the package's "exports" map hides dist/models (and package.json): walk up from its entry point
let pkgDir = path.dirname(require.resolve('nsfwjs'));
while (!fs.existsSync(path.join(pkgDir, 'package.json')) || !fs.existsSync(path.join(pkgDir, 'dist'))) pkgDir = path.dirname(pkgDir);
const modelDir = path.join(pkgDir, 'dist', 'models', name);
const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;

const model = require(path.join(modelDir, 'model.min.js'));
fs.mkdirSync(out, { recursive: true });
const manifest = model.weightsManifest.map((group) => {
  const paths = group.paths.map((shard) => {
    const bytes = Buffer.from(require(path.join(modelDir, shard + '.min.js')), 'base64');
    fs.writeFileSync(path.join(out, shard + '.bin'), bytes);
    return shard + '.bin';
  });
  return { paths, weights: group.weights };
});
const json = {
  format: 'layers-model',
  generatedBy: 'keras ' + model.modelTopology.keras_version,
  convertedBy: 'repsim tools/tfjs/extract-model.js from nsfwjs ' + version + ' dist/models/' + name,
  modelTopology: model.modelTopology,
  weightsManifest: manifest,
};
fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));
console.error('wrote ' + path.join(out, 'model.json') + ' and ' + manifest.flatMap((g) => g.paths).join(', '));
