'use strict';
// Benchmark settings: a `--name=value` flag beats the BENCH_* environment variable, which beats the default.
// Every duration is configurable so that `npm run bench` can be shortened on a slow machine.

function flagValue(name) {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
  return arg === undefined ? undefined : arg.slice(prefix.length);
}

function raw(name, env) {
  const fromFlag = flagValue(name);
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = process.env[env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** A positive number setting. */
function number(name, env, fallback) {
  const v = raw(name, env);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${name} / ${env} must be a positive number, got ${v}`);
  return n;
}

/** A comma-separated list of positive numbers. */
function numbers(name, env, fallback) {
  const v = raw(name, env);
  if (v === undefined) return fallback;
  const list = v.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !(n > 0))) throw new Error(`--${name} / ${env} must be numbers, got ${v}`);
  return list;
}

/** An on/off setting: 0, false, no or off turn it off; anything else turns it on. */
function flag(name, env, fallback) {
  const v = raw(name, env);
  if (v === undefined) return fallback;
  return !/^(0|false|no|off)$/i.test(v.trim());
}

module.exports = { number, numbers, flag };
