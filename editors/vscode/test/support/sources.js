'use strict';
// Every eligo source of the repository: the *.elg files and the ```eligo blocks of the Markdown docs.
const fs = require('node:fs');
const path = require('node:path');
const { repoRoot } = require('./paths');

const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'target']);

function walk(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name), found);
    } else if (entry.isFile()) {
      found.push(path.join(dir, entry.name));
    }
  }
  return found;
}

/**
 * The sources: `{name, text, utf8}`, names relative to the repository. A file that is not valid
 * UTF-8 (the diagnostics tests have one) is read as an editor would show it, with replacement
 * characters, and marked `utf8: false`.
 */
function allSources() {
  const files = walk(repoRoot).sort();
  const sources = [];
  for (const file of files.filter((f) => f.endsWith('.elg'))) {
    const bytes = fs.readFileSync(file);
    let text;
    let utf8 = true;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('utf-8').decode(bytes);
      utf8 = false;
    }
    sources.push({ name: path.relative(repoRoot, file), text, utf8 });
  }
  for (const file of files.filter((f) => f.endsWith('.md'))) {
    sources.push(...markdownBlocks(path.relative(repoRoot, file), fs.readFileSync(file, 'utf8')));
  }
  return sources;
}

/** The blocks fenced ```eligo or ```eligo-error of a Markdown file, named `FILE:LINE`. */
function markdownBlocks(name, markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const info = lines[i].match(/^```(eligo(?:-error)?)\s*$/);
    if (!info) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    blocks.push({ name: `${name}:${start}`, text: lines.slice(start, end).join('\n') + '\n', utf8: true });
    i = end;
  }
  return blocks;
}

module.exports = { allSources, markdownBlocks };
