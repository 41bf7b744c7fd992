import sys
p=sys.argv[1]+'/src/main/java/dev/repsim/backend/BlockedGemm.java'
s=open(p).read()
def rep(a,b):
    global s
    assert a in s, a
    s=s.replace(a,b)
rep("""            w.packRight(k0, kc, jc, nc);
            int rowEnd""","""            long tA = System.nanoTime();
            w.packRight(k0, kc, jc, nc);
            PACK_R.addAndGet(System.nanoTime() - tA);
            int rowEnd""")
rep("""                if (kernel.sameOperand() && lc >= jc && lc + rows <= jc + nc) w.packLeftFromRight(lc, rows, jc, kc);
                else w.packLeft(lc, rows, k0, kc);
                for (int ic""","""                long tB = System.nanoTime();
                if (kernel.sameOperand() && lc >= jc && lc + rows <= jc + nc) w.packLeftFromRight(lc, rows, jc, kc);
                else w.packLeft(lc, rows, k0, kc);
                long tC = System.nanoTime();
                PACK_L.addAndGet(tC - tB);
                for (int ic""")
rep("""                    else w.multiply(buf, r0, c0, tileRows, ic, mc, jc, nc, kc, upperOnly, direct);
                }
            }""","""                    else w.multiply(buf, r0, c0, tileRows, ic, mc, jc, nc, kc, upperOnly, direct);
                }
                MUL.addAndGet(System.nanoTime() - tC);
            }""")
rep("""    private BlockedGemm() {}""","""    private BlockedGemm() {}
    public static final java.util.concurrent.atomic.AtomicLong PACK_R = new java.util.concurrent.atomic.AtomicLong(), PACK_L = new java.util.concurrent.atomic.AtomicLong(), MUL = new java.util.concurrent.atomic.AtomicLong(), RUNS = new java.util.concurrent.atomic.AtomicLong(), UNPACK = new java.util.concurrent.atomic.AtomicLong();""")
rep("""        onWorkers(pool, threads, () -> {
            PackedKernel.Worker w = kernel.worker(m, n, k);""","""        long tR = System.nanoTime();
        onWorkers(pool, threads, () -> {
            PackedKernel.Worker w = kernel.worker(m, n, k);""")
rep("""        AtomicInteger nextBand = new AtomicInteger();""","""        long tU = System.nanoTime();
        RUNS.addAndGet(tU - tR);
        AtomicInteger nextBand = new AtomicInteger();""")
rep("""                unpack(kernel, partial, partial32, 0, 0, tileRows, tileRows * b / bands, tileRows * (b + 1) / bands, m, n, symmetric, false, c, n);
            }
        });""","""                unpack(kernel, partial, partial32, 0, 0, tileRows, tileRows * b / bands, tileRows * (b + 1) / bands, m, n, symmetric, false, c, n);
            }
        });
        UNPACK.addAndGet(System.nanoTime() - tU);""")
open(p,'w').write(s)
