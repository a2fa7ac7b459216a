'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { fatAlias } = require('../../dist/sim/model/fat-alias');

/** Aliases for names added one after another to one folder. */
function aliasesFor(names) {
  const taken = new Set();
  return names.map((name) => {
    const alias = fatAlias(name, (a) => taken.has(a));
    taken.add(alias);
    return alias;
  });
}

describe('FAT 8.3 aliases', () => {
  it('keeps a valid upper-case 8.3 name as its own alias', () => {
    assert.deepEqual(aliasesFor(['BENCHY.GCO', 'A.G', 'README']), ['BENCHY.GCO', 'A.G', 'README']);
  });

  it('upper-cases a lower-case name that fits 8.3, as FatFs does', () => {
    assert.deepEqual(aliasesFor(['test.gco']), ['TEST.GCO']);
  });

  it('shortens long names to 6 characters plus ~N and the extension to 3', () => {
    assert.deepEqual(aliasesFor(['Debounce Housing.gcode']), ['DEBOUN~1.GCO']);
    assert.deepEqual(aliasesFor(['part.bgcode']), ['PART~1.BGC']);
  });

  it('numbers colliding names in one folder with the first free N', () => {
    assert.deepEqual(aliasesFor(['benchmark one.gcode', 'benchmark two.gcode', 'Benchmark-3.gcode', 'benchmark_4.gcode']), [
      'BENCHM~1.GCO',
      'BENCHM~2.GCO',
      'BENCHM~3.GCO',
      'BENCHM~4.GCO',
    ]);
  });

  it('shortens the body further from ~10 on', () => {
    const names = Array.from({ length: 11 }, (_, i) => `longername ${i}.gcode`);
    const aliases = aliasesFor(names);
    assert.equal(aliases[8], 'LONGER~9.GCO');
    assert.equal(aliases[9], 'LONGE~10.GCO');
    assert.equal(aliases[10], 'LONGE~11.GCO');
  });

  it('drops spaces and inner dots, replaces characters FAT forbids', () => {
    assert.deepEqual(aliasesFor(['a b.gcode']), ['AB~1.GCO']);
    assert.deepEqual(aliasesFor(['v1.2.final.gcode']), ['V12FIN~1.GCO']);
    assert.deepEqual(aliasesFor(['x+y.gco']), ['X_Y~1.GCO']);
    assert.deepEqual(aliasesFor(['žluť.gco']), ['_LU_~1.GCO']);
  });

  it('gives folders aliases too', () => {
    assert.deepEqual(aliasesFor(['My Projects', 'PARTS', 'My Prints']), ['MYPROJ~1', 'PARTS', 'MYPRIN~1']);
  });

  it('does not reuse an alias taken by a literal 8.3 name', () => {
    assert.deepEqual(aliasesFor(['ABCDEF~1.GCO', 'abcdefgh.gcode']), ['ABCDEF~1.GCO', 'ABCDEF~2.GCO']);
  });
});
