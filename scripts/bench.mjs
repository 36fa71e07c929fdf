#!/usr/bin/env node
// `npm run bench`: the benchmark of bench/README.md (options there and in bench/run.mjs).
// Not part of `npm test`: it prints figures and asserts nothing about time.
import '../bench/run.mjs';
