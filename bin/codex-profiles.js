#!/usr/bin/env node
// The CLI is the bundle scripts/build.mjs writes (src/main.ts): one path for every command.
import '../dist/main.js';
