"""Machine load around a benchmark run, from /proc (Linux): the load average and the CPU time counters,
whose difference gives the share of CPU time the hypervisor gave to other guests (steal)."""


def load_average():
    """The 1, 5 and 15 minute load averages, as numbers."""
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def cpu_jiffies():
    """The all-CPU counters of /proc/stat's first line: steal and the total of user..steal (guest time is
    already counted in user)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    if fields[0] != "cpu":
        raise ValueError(f"/proc/stat: first line is {fields[0]!r}, not the all-CPU line")
    counters = [int(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return {"steal": counters[7], "total": sum(counters)}


def steal_share(start, end):
    """Stolen share of all CPU time between two cpu_jiffies() readings (None when no time passed)."""
    total = end["total"] - start["total"]
    return round((end["steal"] - start["steal"]) / total, 4) if total > 0 else None
