'use strict';
// Memory sampling (our own RSS every 20 ms, another process's peak RSS) and another process's CPU time, the latter
// two through /proc (Linux).

const fs = require('node:fs');

/** Samples this process's RSS every `everyMs` until stop(); stop() returns the peak seen. */
function sampleOwnRss(everyMs = 20) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** VmHWM (the kernel's peak RSS) and VmRSS of a process, bytes; undefined once it has gone. */
function procMemory(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field) => Number((text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm')) || [])[1]) * 1024;
  return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
}

/** Samples another process's VmHWM every `everyMs`; stop() returns the last peak seen (0 if never read). */
function sampleProcessPeak(pid, everyMs = 20) {
  let peak = 0;
  const read = () => {
    const m = procMemory(pid);
    if (m) peak = Math.max(peak, m.hwm || 0, m.rss || 0);
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined once it has gone. */
function procCpuSeconds(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const TICKS_PER_SECOND = 100;
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

module.exports = { sampleOwnRss, sampleProcessPeak, procCpuSeconds };
