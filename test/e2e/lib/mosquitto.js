// A private Mosquitto broker on a free loopback port, and a subscriber (mosquitto_sub) that keeps what it hears.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { hasProgram } = require('./env');
const { freePort, waitFor } = require('./net');

/** Debian puts the broker in /usr/sbin, which is not on every PATH. */
const MOSQUITTO = ['mosquitto', '/usr/sbin/mosquitto'].find((p) => hasProgram(p)) || null;
const haveClients = hasProgram('mosquitto_pub') && hasProgram('mosquitto_sub');

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** Stops a child by its PID and waits for it to exit. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(child.pid, 'SIGTERM');
  });
}

/** Starts a broker; resolves with { port, stop() }. */
async function startMosquitto() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prusalink-e2e-mqtt-'));
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n`);
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const stop = async () => {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`mosquitto exited: ${out}`);
        return canConnect(port);
      },
      { timeoutMs: 10000, what: 'mosquitto to listen' },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, stop };
}

/** Subscribes to `topic` (wildcards allowed); resolves with { messages: [{topic, payload}], stop() } once subscribed. */
async function subscribe(port, topic) {
  const child = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-v', '-q', '1', '-i', `e2e-sub-${process.pid}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages = [];
  let rest = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      const i = line.indexOf(' ');
      messages.push(i < 0 ? { topic: line, payload: '' } : { topic: line.slice(0, i), payload: line.slice(i + 1) });
    }
  });
  // mosquitto_sub has no "subscribed" signal: a retained probe message tells that the subscription is live.
  const probeTopic = `${topic.replace(/[#+].*$/, '').replace(/\/$/, '')}/e2e-probe`;
  publish(port, probeTopic, 'ready', { retain: false });
  await waitFor(
    () => {
      if (messages.some((m) => m.topic === probeTopic)) return true;
      publish(port, probeTopic, 'ready', { retain: false });
      return false;
    },
    { timeoutMs: 10000, intervalMs: 300, what: `subscription to ${topic}` },
  );
  return { messages, stop: () => stopChild(child) };
}

/** Publishes once (a string, or a file with { file }). */
function publish(port, topic, payload, { retain = false, file } = {}) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', '1'];
  if (retain) args.push('-r');
  if (file) args.push('-f', file);
  else args.push('-m', payload);
  const res = spawnSync('mosquitto_pub', args, { encoding: 'utf8', timeout: 10000 });
  if (res.status !== 0) throw new Error(`mosquitto_pub ${topic}: ${res.stderr}`);
}

module.exports = { MOSQUITTO, haveClients, startMosquitto, subscribe, publish };
