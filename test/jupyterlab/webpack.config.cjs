// Builds the JupyterLab test app with @jupyterlab/builder's own webpack base config (the last webpack-based
// builder): ensureAssets copies every extension's settings schemas and themes into build/, where
// jupyterlab_server's LabServerApp serves them, and writes build/style.js importing every extension's CSS.
const path = require("path");
const { merge } = require("webpack-merge");
const { Build } = require("@jupyterlab/builder");
const baseConfig = require("@jupyterlab/builder/lib/webpack.config.base");
const data = require("./package.json");

const build = path.resolve(__dirname, "build");
const assets = Build.ensureAssets({
  packageNames: [...data.jupyterlab.extensions, ...data.jupyterlab.mimeExtensions],
  output: build,
});

module.exports = [
  merge(baseConfig, {
    mode: "development",
    // Source maps would double the build time; a failing test reads JupyterLab's own messages instead.
    devtool: false,
    entry: "./index.js",
    output: { path: build, filename: "bundle.js" },
  }),
].concat(assets);
