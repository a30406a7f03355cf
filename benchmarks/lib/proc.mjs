// Process probes read from /proc: resident memory, CPU time, open file descriptors.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

/** Resident set size in KB (VmRSS), or null once the process is gone. */
export function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* 100 is the Linux default */
}

/** User + system CPU seconds the process itself has used (all its threads; not its children). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / clkTck;
  } catch {
    return null;
  }
}

export function openFds(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** Pids of every live descendant of pid (via /proc/<pid>/task/<tid>/children). */
export function descendants(pid) {
  const out = [];
  const walk = (p) => {
    let kids = [];
    try {
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const s = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim();
        if (s) kids.push(...s.split(/\s+/).map(Number));
      }
    } catch {
      /* gone */
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

export function machineInfo() {
  const cpus = os.cpus();
  let fdLimit = null;
  try {
    fdLimit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    /* unknown */
  }
  let portRange = null;
  try {
    portRange = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    /* unknown */
  }
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memTotalMB: Math.round(os.totalmem() / 1048576),
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    node: process.version,
    fdLimit,
    ephemeralPorts: portRange,
  };
}

/** The port a `porthole serve --port 0` child prints in its listening line; rejects if it exits first. */
export function listeningPort(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on https?:\/\/\S+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error('serve exited')));
  });
}
