'use strict';
// One path form: FileEntry.path / JobFile.path are always the printer's own URL form (8.3 aliases on Buddy and MINI
// 4.4.1) and display_path always the long names, whichever form the caller used to ask.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const { withSim, eventually, sampleGcode } = require('./helpers');

const forms = (entries) => entries.map((e) => ({ path: e.path, display_path: e.display_path }));
const fileGets = (sim) => sim.control.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/files')).length;

describe('path forms', () => {
  it('buddy: listing by long name, by alias or mixed gives the same paths, equal to the job file path', () =>
    withSim(
      {
        family: 'buddy',
        files: {
          'P s/SHORT.GCO': sampleGcode({ printSeconds: 600 }),
          'P s/Long name.gcode': 'G28\n',
          'P s/Sub dir/Deep file.gcode': 'G28\n',
          'A long/B long/C long/x.gcode': 'G28\n',
        },
      },
      async (sim, make) => {
        const c = make();
        const root = await c.list('/usb', { recursive: true });
        assert.equal(root.path, '/usb');
        assert.equal(root.display_path, '/usb');
        const ps = root.entries.find((e) => e.display_name === 'P s');
        assert.match(ps.path, /^\/usb\/PS~\d$/);
        assert.equal(ps.display_path, '/usb/P s');
        const psAlias = ps.path.split('/')[2];

        // The folder's own answer tells its alias and long name: one request, whichever form was asked for.
        let before = fileGets(sim);
        const byLong = await c.list('/usb/P s');
        assert.equal(fileGets(sim) - before, 1);
        const byAlias = await c.list(`/usb/${psAlias}`);
        const byLowerAlias = await c.list(`/usb/${psAlias.toLowerCase()}`);
        for (const l of [byLong, byAlias, byLowerAlias]) {
          assert.equal(l.path, ps.path);
          assert.equal(l.display_path, '/usb/P s');
          assert.deepEqual(forms(l.entries), forms(byLong.entries));
        }
        assert.deepEqual(forms(byLong.entries), forms(ps.children));
        const short = byLong.entries.find((e) => e.display_name === 'SHORT.GCO');
        assert.equal(short.path, `/usb/${psAlias}/SHORT.GCO`);
        assert.equal(short.display_path, '/usb/P s/SHORT.GCO');
        assert.equal(short.refs.download, short.path);
        const sub = byLong.entries.find((e) => e.display_name === 'Sub dir');
        assert.match(sub.path, new RegExp(`^/usb/${psAlias}/SUBDIR~\\d$`));
        assert.equal(sub.display_path, '/usb/P s/Sub dir');

        // Two levels down, mixed forms: the folder's file refs give the whole alias path.
        const deepByLong = await c.list('/usb/P s/Sub dir');
        const deepMixed = await c.list(`/usb/${psAlias}/Sub dir`);
        const deepByAlias = await c.list(sub.path);
        for (const l of [deepByLong, deepMixed, deepByAlias]) {
          assert.equal(l.path, sub.path);
          assert.equal(l.display_path, '/usb/P s/Sub dir');
          assert.deepEqual(forms(l.entries), forms(deepByLong.entries));
        }
        assert.equal(deepByLong.entries[0].display_path, '/usb/P s/Sub dir/Deep file.gcode');

        // A folder holding only folders: no refs, so the parent's alias is looked up (one more request).
        const a = root.entries.find((e) => e.display_name === 'A long');
        const b = a.children.find((e) => e.display_name === 'B long');
        before = fileGets(sim);
        const bByLong = await c.list('/usb/A long/B long');
        assert.equal(fileGets(sim) - before, 2);
        const bByAlias = await c.list(b.path);
        for (const l of [bByLong, bByAlias]) {
          assert.equal(l.path, b.path);
          assert.equal(l.display_path, '/usb/A long/B long');
          assert.deepEqual(forms(l.entries), forms(b.children));
        }

        // fileInfo of a file and of a folder, asked either way.
        for (const asked of ['/usb/P s/SHORT.GCO', short.path, `/usb/${psAlias.toLowerCase()}/short.gco`]) {
          const info = await c.fileInfo(asked);
          assert.equal(info.path, short.path, asked);
          assert.equal(info.display_path, short.display_path, asked);
        }
        for (const asked of ['/usb/A long/B long', b.path]) {
          const info = await c.fileInfo(asked);
          assert.equal(info.path, b.path, asked);
          assert.equal(info.display_path, '/usb/A long/B long', asked);
        }

        // The printed file: status and job spell it as the listings do.
        await c.print('/usb/P s/SHORT.GCO');
        const st = await eventually(async () => {
          const s = await c.status();
          return s.job?.file && s;
        });
        assert.equal(st.job.file.path, short.path);
        assert.equal(st.job.file.display_path, short.display_path);
        const job = await c.job();
        assert.equal(job.file.path, short.path);
        assert.equal(job.file.display_path, short.display_path);

        // Upload results: into the folder named by its long name or by its alias.
        const up1 = await c.upload({ buffer: Buffer.from('G28\n') }, '/usb/P s/New upload.gcode');
        const up2 = await c.upload({ buffer: Buffer.from('G28\n') }, `/usb/${psAlias}/Other upload.gcode`);
        const after = await c.list('/usb/P s');
        for (const [up, name] of [[up1, 'New upload.gcode'], [up2, 'Other upload.gcode']]) {
          const listed = after.entries.find((e) => e.display_name === name);
          assert.equal(up.file.path, listed.path);
          assert.ok(up.file.path.startsWith(`${ps.path}/`));
          assert.equal(up.file.display_path, `/usb/P s/${name}`);
        }
      },
    ));

  it('buddy: a job in a nested folder gets its long-name display_path', () =>
    withSim({ family: 'buddy', files: { 'Outer dir/Inner dir/Deep job.gcode': sampleGcode({ printSeconds: 600 }) } }, async (sim, make) => {
      const c = make();
      const listed = (await c.list('/usb/Outer dir/Inner dir')).entries[0];
      await c.print(listed.path);
      const st = await eventually(async () => {
        const s = await c.status();
        return s.job?.file && s;
      });
      assert.equal(st.job.file.path, listed.path);
      assert.equal(st.job.file.display_path, '/usb/Outer dir/Inner dir/Deep job.gcode');
      // Looked up once per job: the next status is one request.
      const before = sim.control.requests().length;
      await c.status();
      assert.equal(sim.control.requests().length - before, 1);
    }));

  it('mini-legacy: listing, upload result and job file share one path form', () =>
    withSim({ family: 'mini-legacy', files: { 'Long mini name.gcode': sampleGcode({ printSeconds: 600 }) } }, async (sim, make) => {
      const c = make();
      const listing = await c.list('/usb');
      assert.equal(listing.display_path, '/usb');
      const f = listing.entries[0];
      assert.match(f.path, /^\/usb\/LONGMI~\d\.GCO$/);
      assert.equal(f.display_path, '/usb/Long mini name.gcode');
      const up = await c.upload({ buffer: Buffer.from('G28\n') }, '/usb/Another long name.gcode');
      const listed = (await c.list('/usb')).entries.find((e) => e.display_name === 'Another long name.gcode');
      assert.equal(up.file.path, listed.path);
      assert.equal(up.file.display_path, '/usb/Another long name.gcode');
      await c.print(f.display_path);
      const st = await eventually(async () => {
        const s = await c.status();
        return s.job?.file && s;
      });
      assert.equal(st.job.file.path, f.path);
      assert.equal(st.job.file.display_path, f.display_path);
    }));

  it('pi: no aliases, path and display_path are the same real names', () =>
    withSim({ family: 'pi', files: { 'My dir/Pi job.gcode': sampleGcode({ printSeconds: 600 }) } }, async (sim, make) => {
      const c = make();
      const listing = await c.list('/local/My dir');
      assert.equal(listing.path, '/local/My dir');
      assert.equal(listing.display_path, '/local/My dir');
      const f = listing.entries[0];
      assert.equal(f.path, '/local/My dir/Pi job.gcode');
      assert.equal(f.display_path, f.path);
      await c.print(f.path);
      const st = await eventually(async () => {
        const s = await c.status();
        return s.job?.file && s;
      });
      assert.equal(st.job.file.path, f.path);
      assert.equal(st.job.file.display_path, f.display_path);
    }));
});
