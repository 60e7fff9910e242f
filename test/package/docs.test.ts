/**
 * The generated parts of the docs are current: the README's tables match
 * custom-elements.json (rebuilt by `npm run build` from the elements' JSDoc),
 * and the examples shown in the docs are the files the package test checks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDocs } from '../../scripts/readme-tables.js';

describe('generated docs', () => {
  for (const doc of renderDocs()) {
    it(`${doc.file} matches custom-elements.json and examples/ (else run \`npm run build:readme\`)`, () => {
      assert.ok(doc.current.includes('<!-- generated:'), `${doc.file} has generated blocks`);
      assert.equal(doc.current, doc.expected, `${doc.file} is stale: run \`npm run build:readme\` and commit it`);
    });
  }
});
