'use strict';
// Writes syntaxes/eligo.tmLanguage.json from syntaxes/eligo.tmLanguage.src.js.
const fs = require('node:fs');
const path = require('node:path');

const json = (grammar) => JSON.stringify(grammar, null, 2) + '\n';
const target = path.join(__dirname, '..', 'syntaxes', 'eligo.tmLanguage.json');

if (require.main === module) {
  fs.writeFileSync(target, json(require('../syntaxes/eligo.tmLanguage.src.js')));
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

module.exports = { json, target };
