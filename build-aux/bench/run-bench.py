#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Refinery's ingest benchmark (issue 6). Generates deterministic streams,
# then runs, in alternation and for several rounds:
#
#   all     refinery-inspect --bench             (one decode worker per core)
#   one     refinery-inspect --bench --workers 1
#   floor   rf-bench-floor                        (one thread: read, memchr,
#                                                  g_base64_decode_step,
#                                                  GdkPixbufLoader)
#   naive   rf-bench-floor --naive                (full JSON parse per event)
#
# and prints medians and the ratios measured in the same run, the
# first-pixel latency, the peak memory above an idle run, and (with --gui)
# the worst main-loop stall of the app under a virtual display.
#
# Usage: build-aux/bench/run-bench.py [-C BUILDDIR] [--rounds N] [--gui] [--gui-only]
#                                       [--gui-baseline OTHER_BUILD/src/ui/refinery]

import argparse
import atexit
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

TARGETS = {
    'all_vs_floor': 0.55,
    'cpu_all_vs_floor': 1.10,
    'one_vs_floor': 1.02,
    'decode_vs_raw': 1.10,
    'first_pixel_ms': 5.0,
    # peak RSS ≤ 1.2 × the image bytes kept + 64 MiB: ratio ≤ 1
    'rss_vs_kept': 1.0,
    'worst_stall_ms': 16.0,
}

# Photographs the photo stream is cut from (Debian's mate-backgrounds:
# twelve photographs of 1280×1024 to 2560×1920). setup-debian.sh --bench
# installs it.
PHOTO_DIR = '/usr/share/backgrounds/mate/nature'
PHOTO_PACKAGE = 'mate-backgrounds'

# Stream name → generator arguments. Bumping GEN_VERSION regenerates.
GEN_VERSION = 2
STREAMS = {
    'png': ['--format', 'png'],
    'jpeg': ['--format', 'jpeg'],
    'webp': ['--format', 'webp'],
    # Image events 250 ms apart when replayed at recorded pace, as in a
    # live generation (where they come seconds apart).
    'first': ['--format', 'png', '--images', '1', '--pace', '250'],
    # The same image with no pacing: its four frames race for the cores.
    'burst': ['--format', 'png', '--images', '1'],
    'idle': ['--format', 'png', '--images', '1', '--partials', '0', '--size', '64'],
    # 12 photographs × (3 partials + final), 1024², PNG.
    'photo': ['--format', 'png', '--images', '12', '--photos', PHOTO_DIR],
}


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def restore_autogroup(nice):
    try:
        with open('/proc/self/autogroup', 'w') as f:
            f.write(nice)
    except OSError:
        pass


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_busy_seconds():
    """Busy core-seconds of the whole machine so far (/proc/stat)."""
    try:
        with open('/proc/stat') as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / os.sysconf('SC_CLK_TCK')


def run(cmd, env=None, timeout=600, faults=None):
    """Runs @cmd under /usr/bin/time -v; returns (wall s, cpu s, peak RSS
    KiB, stdout, stderr). @faults (a list) receives its page faults."""
    with tempfile.NamedTemporaryFile(mode='r', suffix='.time') as tf:
        full = ['/usr/bin/time', '-v', '-o', tf.name] + cmd
        start = time.perf_counter()
        proc = subprocess.run(full, capture_output=True, text=True, env=env, timeout=timeout)
        wall = time.perf_counter() - start
        report = tf.read()
    if proc.returncode != 0:
        raise SystemExit('command failed (%d): %s\n%s' % (proc.returncode, ' '.join(cmd), proc.stderr))
    user = float(re.search(r'User time \(seconds\): ([\d.]+)', report).group(1))
    system = float(re.search(r'System time \(seconds\): ([\d.]+)', report).group(1))
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', report).group(1))
    if faults is not None:
        faults.append(int(re.search(r'Minor \(reclaiming a frame\) page faults: (\d+)', report).group(1)) +
                      int(re.search(r'Major \(requiring I/O\) page faults: (\d+)', report).group(1)))
    return wall, user + system, rss, proc.stdout, proc.stderr


def fields(text):
    """'key: value' lines → dict of floats (or strings)."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.rpartition(': ')
        if not sep:
            continue
        try:
            out[key.strip()] = float(value)
        except ValueError:
            out[key.strip()] = value.strip()
    return out


def median(values):
    return statistics.median(values) if values else float('nan')


def ensure_programs(build, rebuild):
    if rebuild:
        subprocess.run(['ninja', '-C', build, 'bench-programs', 'src/cli/refinery-inspect'],
                       check=True, stdout=subprocess.DEVNULL)
    progs = {
        'gen': os.path.join(build, 'build-aux', 'bench', 'rf-bench-gen'),
        'floor': os.path.join(build, 'build-aux', 'bench', 'rf-bench-floor'),
        'inspect': os.path.join(build, 'src', 'cli', 'refinery-inspect'),
        'app': os.path.join(build, 'src', 'ui', 'refinery'),
        'lockwatch': os.path.join(build, 'build-aux', 'bench', 'rf-lockwatch.so'),
    }
    for name in ('gen', 'floor', 'inspect'):
        if not os.access(progs[name], os.X_OK):
            raise SystemExit('missing %s: build %s first' % (progs[name], build))
    return progs


def ensure_streams(progs, data_dir, names):
    os.makedirs(data_dir, exist_ok=True)
    paths = {}
    for name in names:
        args = STREAMS[name]
        path = os.path.join(data_dir, 'bench-%s.sse' % name)
        stamp = path + '.args'
        want = json.dumps([GEN_VERSION] + args)
        have = open(stamp).read() if os.path.exists(stamp) else None
        if have != want or not os.path.exists(path):
            log('generating %s …' % path)
            subprocess.run([progs['gen'], '--output', path] + args, check=True,
                           stdout=subprocess.DEVNULL)
            with open(stamp, 'w') as f:
                f.write(want)
        # Read once so every contender starts from the page cache.
        with open(path, 'rb') as f:
            while f.read(1 << 22):
                pass
        paths[name] = path
    return paths


def ensure_photos():
    """Whether the photographs are there; as root, installs them if not."""
    def count():
        try:
            return len([n for n in os.listdir(PHOTO_DIR)
                        if n.lower().endswith(('.jpg', '.jpeg', '.png', '.webp'))])
        except OSError:
            return 0
    if count() >= 12:
        return True
    if os.geteuid() == 0 and shutil.which('apt-get'):
        log('installing %s for the photo stream …' % PHOTO_PACKAGE)
        subprocess.run([os.path.join(ROOT, 'build-aux', 'setup-debian.sh'), '--bench'],
                       stdout=subprocess.DEVNULL)
    if count() >= 12:
        return True
    log('photo stream skipped: %s has no 12 photographs (install %s: '
        'build-aux/setup-debian.sh --bench)' % (PHOTO_DIR, PHOTO_PACKAGE))
    return False


def stream_figures(res):
    """The figures every stream gets: walls, CPU, page faults, memory."""
    f = {
        'bytes': int(out_median(res, 'floor', 'bytes')),
        'frames': int(out_median(res, 'all', 'frames')),
        'workers': int(out_median(res, 'all', 'workers')),
        'kept': out_median(res, 'all', 'image bytes kept'),
        'all_vs_floor': per_round_ratio(res, 'all', 'floor'),
        'one_vs_floor': per_round_ratio(res, 'one', 'floor'),
        'cpu_all_vs_floor': per_round_ratio(res, 'all', 'floor', 'cpu'),
        'cpu_one_vs_floor': per_round_ratio(res, 'one', 'floor', 'cpu'),
        'faults_all_vs_floor': per_round_ratio(res, 'all', 'floor', 'faults'),
    }
    for n in ('all', 'one', 'floor', 'naive'):
        if n not in res:
            continue
        f['wall_' + n] = median(res[n]['wall'])
        f['cpu_' + n] = median(res[n]['cpu'])
        f['faults_' + n] = median(res[n]['faults'])
        f['rss_' + n] = median(res[n]['rss'])
        f['mbs_' + n] = f['bytes'] / 1e6 / f['wall_' + n]
        f['fps_' + n] = f['frames'] / f['wall_' + n]
    # Peak memory against what a run must hold: the image bytes of every
    # frame, plus room for the pixels in flight.
    f['rss_limit_mib'] = 1.2 * f['kept'] / 1048576.0 + 64.0
    f['rss_vs_kept'] = f['rss_all'] / f['rss_limit_mib']
    return f


def print_stream(title, f, rounds):
    print('%s: %.1f MB, %d frames, %.1f MB of image bytes kept, %d rounds, medians'
          % (title, f['bytes'] / 1e6, f['frames'], f['kept'] / 1e6, rounds))
    print()
    print('%-28s %8s %8s %8s %8s %8s %8s' % ('', 'wall s', 'cpu s', 'MB/s', 'frames/s', 'RSS MiB', 'faults'))
    labels = {'all': 'refinery, %d workers' % f['workers'], 'one': 'refinery, 1 worker',
              'floor': 'floor (1 thread)', 'naive': 'naive (JSON parse)'}
    for n in ('all', 'one', 'floor', 'naive'):
        if 'wall_' + n in f:
            print('%-28s %8.3f %8.3f %8.1f %8.1f %8.1f %8.0f' % (labels[n], f['wall_' + n], f['cpu_' + n],
                  f['mbs_' + n], f['fps_' + n], f['rss_' + n], f['faults_' + n]))
    print()
    print('%-44s %10s %10s %6s' % ('ratio (same run, median of rounds)', 'measured', 'target', ''))
    for label, key, target in (('all workers / floor (wall)', 'all_vs_floor', '≤ 0.55'),
                               ('all workers / floor (cpu)', 'cpu_all_vs_floor', '≤ 1.10'),
                               ('1 worker / floor (wall)', 'one_vs_floor', '≤ 1.02'),
                               ('1 worker / floor (cpu)', 'cpu_one_vs_floor', ''),
                               ('page faults, all workers / floor', 'faults_all_vs_floor', ''),
                               ('peak RSS / (1.2 × bytes kept + 64 MiB)', 'rss_vs_kept', '≤ 1.00')):
        print('%-44s %10.2f %10s %6s' % (label, f[key], target,
              verdict(f[key], TARGETS[key]) if key in TARGETS else ''))


def contenders(progs, stream, with_naive):
    c = [
        ('all', [progs['inspect'], '--bench', stream]),
        ('one', [progs['inspect'], '--bench', '--workers', '1', stream]),
        ('floor', [progs['floor'], stream]),
    ]
    if with_naive:
        c.append(('naive', [progs['floor'], '--naive', stream]))
    return c


def bench_stream(progs, stream, rounds, with_naive):
    """A B C D A B C D …: every round runs each contender once, so drift
    in the machine's load touches all of them alike."""
    results = {}
    for r in range(rounds):
        for name, cmd in contenders(progs, stream, with_naive):
            res = results.setdefault(name, {'wall': [], 'cpu': [], 'rss': [], 'out': [], 'faults': []})
            wall, cpu, rss, out, _ = run(cmd, faults=res['faults'])
            f = fields(out)
            res['wall'].append(wall)
            res['cpu'].append(cpu)
            res['rss'].append(rss / 1024.0)
            res['out'].append(f)
        if with_naive:
            res = results.setdefault('pair', {'wall': [], 'cpu': [], 'rss': [], 'out': [], 'faults': []})
            res['wall'].append(run_pair([progs['floor'], stream]))
        log('  round %d/%d: %s' % (r + 1, rounds,
            '  '.join('%s %.2fs' % (n, results[n]['wall'][-1]) for n in results)))
    return results


def run_pair(cmd):
    """Two copies of @cmd at once: the wall time of the pair. On two free
    cores it equals one copy's; the ratio shows how much parallel room the
    machine left the benchmark."""
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        p.wait()
    return time.perf_counter() - start


def per_round_ratio(results, a, b, key='wall'):
    return median([x / y for x, y in zip(results[a][key], results[b][key])])


def out_median(results, name, key):
    return median([o[key] for o in results[name]['out'] if key in o])


def first_pixel(progs, stream, runs, paced):
    values = []
    for _ in range(runs):
        _, _, _, out, _ = run([progs['inspect'], '--bench'] + (['--realtime'] if paced else []) + [stream])
        values.append(fields(out)['first pixel ms after its event'])
    return values


def gui_run(app, stream, seconds, lockwatch=None):
    """One run of @app under a virtual display with REFINERY_PROFILE=1: it
    logs every main-loop stall over 16 ms ("stall N ms"), apart from
    those before the run starts ("startup stall N ms": the window's first
    paint), and every frame's latency to the screen. It opens @stream,
    runs for @seconds and is stopped. With @lockwatch (rf-lockwatch.so),
    preloaded into the app alone, it also counts the time the UI thread
    slept on locks. Returns a dict, or None."""
    env = dict(os.environ, REFINERY_PROFILE='1', NO_AT_BRIDGE='1', GSETTINGS_BACKEND='memory',
               G_MESSAGES_DEBUG='rf-renderer')
    preload = ['env', 'LD_PRELOAD=' + lockwatch] if lockwatch else []
    cmd = ['xvfb-run', '-a', '-s', '-screen 0 1600x1000x24'] + preload + [app, stream]
    with tempfile.TemporaryFile(mode='w+') as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            # Only the process group started here.
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        out.seek(0)
        text = out.read()
    if 'stall monitor on' not in text:
        return None
    stalls = [float(m) for m in re.findall(r'(?<!startup )\bstall (\d+(?:\.\d+)?) ms', text)]
    starts = [float(m) for m in re.findall(r'startup stall (\d+(?:\.\d+)?) ms', text)]
    shown = [float(m) for m in re.findall(r'on screen (-?\d+(?:\.\d+)?) ms after its event', text)]
    ui_cpu = re.search(r'the UI thread ran (\d+) ms of CPU time while it streamed', text)
    ui_wait = re.search(r'and waited (\d+) ms for a core', text)
    # The last report holds the totals.
    locks = (re.findall(r'lockwatch: (\d+) waits over [\d.]+ ms, ([\d.]+) ms in all, worst ([\d.]+) ms', text)
             or [None])[-1]
    return {
        'lock_waits': int(locks[0]) if locks else None,
        'lock_wait_ms': float(locks[1]) if locks else None,
        'worst_lock_wait_ms': float(locks[2]) if locks else None,
        'worst': max(stalls) if stalls else 0.0,
        'count': len(stalls),
        'stalled_ms': sum(stalls),
        'startup': max(starts) if starts else 0.0,
        'frames': len(shown),
        'latency': max(shown) if shown else float('nan'),
        'median_latency': median(shown),
        'ui_cpu_ms': float(ui_cpu.group(1)) if ui_cpu else None,
        'ui_wait_ms': float(ui_wait.group(1)) if ui_wait else None,
        'cairo': 'drawing with cairo' in text,
    }


def gui_summary(runs):
    worst = [r['worst'] for r in runs]
    return {
        'worst_stall_ms': max(worst),
        'median_worst_stall_ms': median(worst),
        'worst_stalls_per_run': worst,
        'stalls_over_16ms': sum(r['count'] for r in runs),
        'median_stalls_per_run': median([r['count'] for r in runs]),
        'median_stalled_ms_per_run': median([r['stalled_ms'] for r in runs]),
        'runs_without_stall': sum(1 for r in runs if r['count'] == 0),
        'gui_runs': len(runs),
        'worst_startup_stall_ms': max(r['startup'] for r in runs),
        'worst_frame_latency_ms': max(r['latency'] for r in runs),
        'median_frame_latency_ms': median([r['median_latency'] for r in runs]),
        'median_ui_cpu_ms': median([r['ui_cpu_ms'] for r in runs if r['ui_cpu_ms'] is not None]),
        'ui_cpu_ms_per_run': [r['ui_cpu_ms'] for r in runs],
        'median_ui_wait_ms': median([r['ui_wait_ms'] for r in runs if r['ui_wait_ms'] is not None]),
        'frames_shown': min(r['frames'] for r in runs),
        'median_lock_wait_ms_per_run': median([r['lock_wait_ms'] for r in runs if r['lock_wait_ms'] is not None]),
        'worst_lock_wait_ms': max([r['worst_lock_wait_ms'] for r in runs if r['worst_lock_wait_ms'] is not None],
                                  default=float('nan')),
        'renderer': ('GSK_RENDERER=%s, from the environment' % os.environ['GSK_RENDERER']
                     if os.environ.get('GSK_RENDERER') else
                     'cairo (OpenGL is emulated here)' if any(r['cairo'] for r in runs) else
                     'GTK default'),
    }


def gui_stalls(progs, stream, seconds, runs, baseline=None):
    """The app, @runs times; with @baseline (another build's app), that
    one too, in alternation. Returns (figures, baseline figures), or None."""
    if not os.access(progs['app'], os.X_OK) or shutil.which('xvfb-run') is None:
        log('GUI: no app or no xvfb-run; skipped')
        return None
    lockwatch = progs['lockwatch'] if os.path.exists(progs['lockwatch']) else None
    ours, theirs = [], []
    for i in range(runs):
        log('GUI run %d/%d' % (i + 1, runs))
        r = gui_run(progs['app'], stream, seconds, lockwatch)
        if r is None:
            log('GUI: the app did not start the stall monitor (REFINERY_PROFILE=1 ignored); skipped')
            return None
        ours.append(r)
        if baseline:
            r = gui_run(baseline, stream, seconds, lockwatch)
            if r is None:
                log('GUI: the baseline app did not start the stall monitor; it is left out')
                baseline = None
            else:
                theirs.append(r)
    return gui_summary(ours), (gui_summary(theirs) if theirs else None)


def print_gui(f, baseline=None):
    print('%-44s %10.1f %10s %6s' % ('GUI worst main-loop stall ms, %d runs' % f['gui_runs'],
          f['worst_stall_ms'], '≤ 16', verdict(f['worst_stall_ms'], TARGETS['worst_stall_ms'])))
    print('%-44s %10.1f %10s' % ('GUI median of the runs\' worst stalls ms', f['median_worst_stall_ms'], ''))
    print('%-44s %10s %10s' % ('GUI stalls over 16 ms (runs with none)',
          '%d (%d)' % (f['stalls_over_16ms'], f['runs_without_stall']), ''))
    print('%-44s %10.1f %10s' % ('GUI worst startup stall ms (before the run)', f['worst_startup_stall_ms'], ''))
    print('%-44s %10.1f %10s' % ('GUI worst event-to-screen ms (%d frames shown)' % f['frames_shown'],
          f['worst_frame_latency_ms'], ''))
    print('%-44s %10.1f %10s' % ('GUI median event-to-screen ms (median of runs)', f['median_frame_latency_ms'], ''))
    print('%-44s %10.0f %10s' % ('GUI UI thread CPU ms while streaming (median)', f['median_ui_cpu_ms'], ''))
    print('%-44s %10.0f %10s' % ('GUI UI thread ms waiting for a core (median)', f['median_ui_wait_ms'], ''))
    print('%-44s %10.1f %10s' % ('GUI lock waits of the UI thread, ms per run', f['median_lock_wait_ms_per_run'], ''))
    print('GUI renderer: %s' % f['renderer'])
    if baseline is not None:
        print()
        print('%-44s %10s %10s %8s' % ('GUI, in alternation with the baseline', 'this', 'baseline', 'ratio'))
        for label, key in (('worst stall ms', 'worst_stall_ms'),
                           ('median of the runs\' worst stalls ms', 'median_worst_stall_ms'),
                           ('stalls per run (median)', 'median_stalls_per_run'),
                           ('stalled ms per run (median)', 'median_stalled_ms_per_run'),
                           ('UI thread lock waits ms per run (median)', 'median_lock_wait_ms_per_run'),
                           ('event-to-screen ms (median)', 'median_frame_latency_ms'),
                           ('UI thread CPU ms while streaming (median)', 'median_ui_cpu_ms'),
                           ('UI thread ms waiting for a core (median)', 'median_ui_wait_ms'),
                           ('frames shown (fewest in a run)', 'frames_shown')):
            ratio = f[key] / baseline[key] if baseline[key] else float('nan')
            print('%-44s %10.1f %10.1f %8.3f' % (label, f[key], baseline[key], ratio))
        print('baseline renderer: %s (its startup paint counts as a stall if it predates the split)'
              % baseline['renderer'])


def verdict(value, target):
    return 'ok' if value <= target else 'MISS'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('-C', '--build-dir', default=os.path.join(ROOT, '_build'),
                    help='meson build directory (configure it with --buildtype=release)')
    ap.add_argument('--data-dir', default=os.path.join(tempfile.gettempdir(), 'refinery-bench'),
                    help='where the generated streams go (never commit them)')
    ap.add_argument('--rounds', type=int, default=5, help='rounds on the PNG stream (5)')
    ap.add_argument('--other-rounds', type=int, default=3, help='rounds on the JPEG and WebP streams (3)')
    ap.add_argument('--first-pixel-runs', type=int, default=9)
    ap.add_argument('--png-only', action='store_true', help='skip the JPEG and WebP streams')
    ap.add_argument('--no-photos', action='store_true', help='skip the stream cut from photographs')
    ap.add_argument('--gui', action='store_true', help='also drive the app under xvfb-run')
    ap.add_argument('--gui-seconds', type=int, default=12, help='how long the app runs each time (12)')
    ap.add_argument('--gui-runs', type=int, default=5, help='how many times the app runs (5)')
    ap.add_argument('--gui-only', action='store_true', help='only drive the app (implies --gui)')
    ap.add_argument('--gui-baseline', metavar='APP',
                    help='another build\'s refinery, driven in alternation with this one')
    ap.add_argument('--boost', action='store_true',
                    help='run at raised priority, this session\'s scheduling group too (needs '
                         'root; restored at exit): on a shared machine, other jobs then '
                         'disturb the figures less')
    ap.add_argument('--json', action='store_true', help='print the figures as JSON too')
    ap.add_argument('--no-build', action='store_true', help='do not run ninja first')
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    boosted = False
    if args.boost:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, -10)
            boosted = True
            # With autogrouping the scheduler first shares the cores
            # between sessions: the priority of this session's group is
            # what counts against other sessions' jobs.
            if os.path.exists('/proc/self/autogroup'):
                with open('/proc/self/autogroup') as f:
                    old_nice = re.search(r'nice (-?\d+)', f.read()).group(1)
                with open('/proc/self/autogroup', 'w') as f:
                    f.write('-10')
                # The group outlives this script: put it back afterwards.
                atexit.register(restore_autogroup, old_nice)
        except OSError as e:
            log('--boost: %s; running at normal priority' % e)
    progs = ensure_programs(build, not args.no_build)
    names = ['png', 'first', 'burst', 'idle'] + ([] if args.png_only else ['jpeg', 'webp'])
    if not args.gui_only and not args.no_photos and ensure_photos():
        names.append('photo')
    streams = ensure_streams(progs, args.data_dir, ['png'] if args.gui_only else names)

    if args.gui_only:
        gui = gui_stalls(progs, streams['png'], args.gui_seconds, args.gui_runs, args.gui_baseline)
        if gui is None:
            return 1
        print_gui(*gui)
        if args.json:
            print(json.dumps({'gui': gui[0], 'baseline': gui[1]}, indent=2, default=float))
        return 0

    load_before = os.getloadavg()[0]
    busy_before = cpu_busy_seconds()
    ours_before = children_cpu_seconds()
    start = time.perf_counter()
    log('PNG stream, %d rounds …' % args.rounds)
    png = bench_stream(progs, streams['png'], args.rounds, True)
    photo = None
    if 'photo' in streams:
        log('photo stream, %d rounds …' % args.rounds)
        photo = bench_stream(progs, streams['photo'], args.rounds, False)
    others = {}
    if not args.png_only:
        for fmt in ('jpeg', 'webp'):
            log('%s stream, %d rounds …' % (fmt.upper(), args.other_rounds))
            others[fmt] = bench_stream(progs, streams[fmt], args.other_rounds, False)
    log('first pixel, %d runs …' % args.first_pixel_runs)
    fp = first_pixel(progs, streams['first'], args.first_pixel_runs, True)
    fp_burst = first_pixel(progs, streams['burst'], args.first_pixel_runs, False)
    idle_rss = median([run([progs['inspect'], '--bench', streams['idle']])[2] / 1024.0 for _ in range(3)])
    gui = gui_stalls(progs, streams['png'], args.gui_seconds, args.gui_runs, args.gui_baseline) if args.gui else None
    load_after = os.getloadavg()[0]
    # Cores that other processes kept busy while the benchmark ran.
    elapsed = time.perf_counter() - start
    ours = children_cpu_seconds() - ours_before
    other_busy = max(0.0, cpu_busy_seconds() - busy_before - ours) / elapsed if elapsed > 0 else 0.0

    f = stream_figures(png)
    f['pair_vs_floor'] = per_round_ratio(png, 'pair', 'floor')
    f['naive_vs_floor'] = per_round_ratio(png, 'naive', 'floor')
    if photo is not None:
        f['photo'] = stream_figures(photo)
    # Best of the rounds: the least disturbed run of each contender.
    f['best_all_vs_floor'] = min(png['all']['wall']) / min(png['floor']['wall'])
    f['best_one_vs_floor'] = min(png['one']['wall']) / min(png['floor']['wall'])
    f['raw_decode_ms'] = out_median(png, 'floor', 'image library ms per frame (median)')
    f['decode_ms_one'] = out_median(png, 'one', 'decode ms per frame (png, median)')
    f['decode_ms_all'] = out_median(png, 'all', 'decode ms per frame (png, median)')
    f['decode_vs_raw'] = f['decode_ms_one'] / f['raw_decode_ms']
    f['decode_all_vs_raw'] = f['decode_ms_all'] / f['raw_decode_ms']
    f['first_pixel_ms'] = median(fp)
    f['first_pixel_runs'] = fp
    f['first_pixel_burst_ms'] = median(fp_burst)
    f['rss_idle_mib'] = idle_rss
    f['rss_above_idle_mib'] = f['rss_all'] - idle_rss
    for fmt, res in others.items():
        f[fmt] = {
            'wall_all': median(res['all']['wall']),
            'wall_one': median(res['one']['wall']),
            'wall_floor': median(res['floor']['wall']),
            'all_vs_floor': per_round_ratio(res, 'all', 'floor'),
            'one_vs_floor': per_round_ratio(res, 'one', 'floor'),
            'decode_ms_one': out_median(res, 'one', 'decode ms per frame (%s, median)' % fmt),
            'raw_decode_ms': out_median(res, 'floor', 'image library ms per frame (median)'),
        }
    if gui is not None:
        f.update(gui[0])
        if gui[1] is not None:
            f['gui_baseline'] = gui[1]

    cpu_model = ''
    try:
        with open('/proc/cpuinfo') as c:
            cpu_model = re.search(r'model name\s*:\s*(.*)', c.read()).group(1)
    except (OSError, AttributeError):
        pass

    print('Refinery ingest benchmark')
    print('machine: %d cores (%s); load average %.2f before, %.2f after%s' %
          (os.cpu_count(), cpu_model, load_before, load_after, '; raised priority' if boosted else ''))
    print('other processes kept %.2f of the %d cores busy during the run%s' %
          (other_busy, os.cpu_count(), ' (figures disturbed)' if other_busy > 0.25 else ''))
    f['other_cores_busy'] = other_busy
    print_stream('PNG stream (synthetic with grain: 25 images × 3 partials + final, 1024²)', f, args.rounds)
    rows = [
        ('naive / floor (wall)', f['naive_vs_floor'], '', ''),
        ('two floors at once / one (1.00: 2 free cores)', f['pair_vs_floor'], '', ''),
        ('all workers / floor (best walls)', f['best_all_vs_floor'], '', ''),
        ('1 worker / floor (best walls)', f['best_one_vs_floor'], '', ''),
        ('decode per frame / raw library (1 worker)', f['decode_vs_raw'], '≤ 1.10', verdict(f['decode_vs_raw'], TARGETS['decode_vs_raw'])),
        ('decode per frame / raw library (all)', f['decode_all_vs_raw'], '', ''),
    ]
    for label, value, target, v in rows:
        print('%-44s %10.2f %10s %6s' % (label, value, target, v))
    print('%-44s %10.2f %10s' % ('raw library ms per frame (floor)', f['raw_decode_ms'], ''))
    print('%-44s %10.1f %10s %6s' % ('first pixel ms after its event (live pace)', f['first_pixel_ms'], '≤ 5',
          verdict(f['first_pixel_ms'], TARGETS['first_pixel_ms'])))
    print('%-44s %10.1f %10s' % ('first pixel ms, 4 frames at full speed', f['first_pixel_burst_ms'], ''))
    print('%-44s %10.1f %10s' % ('peak RSS MiB above idle (%.1f idle)' % idle_rss, f['rss_above_idle_mib'], ''))
    if photo is not None:
        print()
        print_stream('Photo stream (12 photographs of %s × 3 partials + final, 1024²)' % PHOTO_PACKAGE,
                     f['photo'], args.rounds)
    if gui is not None:
        print_gui(f, f.get('gui_baseline'))
    for fmt in others:
        o = f[fmt]
        print('%-5s all/floor %.2f  1 worker/floor %.2f  (walls %.3f / %.3f / %.3f s; decode %.2f ms vs raw %.2f ms)' %
              (fmt.upper(), o['all_vs_floor'], o['one_vs_floor'], o['wall_all'], o['wall_one'],
               o['wall_floor'], o['decode_ms_one'], o['raw_decode_ms']))
    if args.json:
        print(json.dumps(f, indent=2, default=float))


if __name__ == '__main__':
    main()
