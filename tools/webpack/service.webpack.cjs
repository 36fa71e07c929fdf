// One webpack recipe for every service: a single dist/apps/<name>/main.js with the libs bundled
// in and node_modules left external (installed beside it by `npm ci`). SWC compiles, with the
// decorator metadata Nest's dependency injection needs; type checking is the `typecheck`
// target's job, so builds stay fast.
const path = require('node:path');
const nodeExternals = require('webpack-node-externals');
const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin');

const root = path.join(__dirname, '../..');

module.exports = (projectDir, name) => ({
  mode: 'none',
  target: 'node20',
  entry: path.join(projectDir, 'src/main.ts'),
  output: { path: path.join(root, 'dist/apps', name), filename: 'main.js', clean: true },
  devtool: 'source-map',
  externalsPresets: { node: true },
  externals: [nodeExternals({ modulesDir: path.join(root, 'node_modules') })],
  resolve: {
    extensions: ['.ts', '.js', '.json'],
    plugins: [new TsconfigPathsPlugin({ configFile: path.join(root, 'tsconfig.base.json') })],
  },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        loader: 'swc-loader',
        options: {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'commonjs' },
          sourceMaps: true,
        },
      },
    ],
  },
  optimization: { minimize: false, nodeEnv: false },
  node: { __dirname: false, __filename: false },
  stats: 'errors-warnings',
});
