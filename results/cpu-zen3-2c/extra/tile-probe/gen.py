# Generates TileProbe.java: micro-kernel variants (f64 and f32) at the preferred species, in-cache rate on one thread.
import sys
variants = [  # name, type, MR, NV (vectors wide), unroll
    ("d5x2", "d", 5, 2, 1), ("d5x2u2", "d", 5, 2, 2), ("d4x2", "d", 4, 2, 1), ("d4x2u2", "d", 4, 2, 2),
    ("d3x3", "d", 3, 3, 1), ("d3x3u2", "d", 3, 3, 2), ("d6x2", "d", 6, 2, 1), ("d4x3", "d", 4, 3, 1),
    ("d2x4", "d", 2, 4, 1), ("d8x1", "d", 8, 1, 1),
    ("f3x3", "f", 3, 3, 1), ("f3x3u2", "f", 3, 3, 2), ("f5x2", "f", 5, 2, 1), ("f5x2u2", "f", 5, 2, 2),
    ("f4x2", "f", 4, 2, 1), ("f4x3", "f", 4, 3, 1), ("f6x2", "f", 6, 2, 1),
]
out = []
w = out.append
w("import jdk.incubator.vector.*;\nimport java.util.*;\n")
w("public class TileProbe {\n static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED; static final int V = S.length();")
w(" static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED; static final int VF = F.length();")
for name, t, mr, nv, u in variants:
    T, Sp, Vn, arr = ("DoubleVector", "S", "V", "double") if t == "d" else ("FloatVector", "F", "VF", "float")
    w(f" static void {name}(int kc, {arr}[] pa, int ao, {arr}[] pb, int bo, {arr}[] c) {{")
    for i in range(mr):
        w(f"  {T} " + ", ".join(f"c{i}_{j} = {T}.zero({Sp})" for j in range(nv)) + ";")
    w(f"  for (int k = 0; k < kc; k += {u}) {{")
    for uu in range(u):
        w(f"   {{ int ak = ao + (k + {uu}) * {mr}; int bk = bo + (k + {uu}) * {nv} * {Vn};")
        for j in range(nv):
            w(f"   {T} b{j} = {T}.fromArray({Sp}, pb, bk + {j} * {Vn});")
        for i in range(mr):
            w(f"   {T} x{i} = {T}.broadcast({Sp}, pa[ak + {i}]);")
            for j in range(nv):
                w(f"   c{i}_{j} = x{i}.fma(b{j}, c{i}_{j});")
        w("   }")
    w("  }")
    for i in range(mr):
        for j in range(nv):
            w(f"  {T}.fromArray({Sp}, c, ({i} * {nv} + {j}) * {Vn}).add(c{i}_{j}).intoArray(c, ({i} * {nv} + {j}) * {Vn});")
    w(" }")
names = [v[0] for v in variants]
w(" static final int[][] SHAPES = {" + ", ".join(f"{{{mr}, {nv}, {1 if t == 'd' else 0}}}" for _, t, mr, nv, _ in variants) + "};")
w(" static final String[] NAMES = {" + ", ".join(f'"{n}"' for n in names) + "};")
w(" static void call(int v, int kc, int ao, int bo) {\n  switch (v) {")
for idx, (n, t, *_r) in enumerate(variants):
    w(f"   case {idx} -> {n}(kc, {'PA' if t == 'd' else 'FA'}, ao, {'PB' if t == 'd' else 'FB'}, bo, {'CD' if t == 'd' else 'CF'});")
w("""  }
 }
 static double run(int v, long millis) {
  boolean dbl = SHAPES[v][2] == 1;
  int mr = SHAPES[v][0], nr = SHAPES[v][1] * (dbl ? V : VF), bytes = dbl ? 8 : 4;
  int kc = 24576 / (nr * bytes); kc -= kc % 2;
  int panelsA = Integer.getInteger("rows", 120) / mr, panelsB = 4;
  double flops = 2.0 * mr * nr * kc * panelsA * panelsB;
  long passes = 0, t0 = System.nanoTime(), t;
  do {
   for (int jp = 0; jp < panelsB; jp++) for (int ip = 0; ip < panelsA; ip++) call(v, kc, ip * kc * mr, jp * kc * nr);
   passes++; t = System.nanoTime();
   Arrays.fill(CD, 0); Arrays.fill(CF, 0);
  } while (t - t0 < millis * 1_000_000L);
  return flops * passes / (t - t0);
 }
 static final double[] PA = new double[300 * 768], PB = new double[4 * 24576 / 8 + 64], CD = new double[256];
 static final float[] FA = new float[300 * 1536], FB = new float[4 * 24576 / 4 + 64], CF = new float[512];
 public static void main(String[] a) {
  for (int i = 0; i < PA.length; i++) PA[i] = 1.0 / 384 + i % 7 * 1e-6;
  for (int i = 0; i < PB.length; i++) PB[i] = 1.0 - i % 5 * 1e-3;
  for (int i = 0; i < FA.length; i++) FA[i] = 1.0f / 384 + i % 7 * 1e-6f;
  for (int i = 0; i < FB.length; i++) FB[i] = 1.0f - i % 5 * 1e-3f;
  int rounds = Integer.parseInt(a[0]); long ms = Long.parseLong(a[1]);
  List<Integer> pick = new ArrayList<>();
  for (int i = 2; i < a.length; i++) { int x = Arrays.asList(NAMES).indexOf(a[i]); if (x < 0) throw new IllegalArgumentException(a[i]); pick.add(x); }
  if (pick.isEmpty()) for (int i = 0; i < NAMES.length; i++) pick.add(i);
  for (int v : pick) run(v, 3000);
  double[][] r = new double[NAMES.length][rounds];
  for (int k = 0; k < rounds; k++) for (int v : pick) r[v][k] = run(v, ms);
  System.out.println("V=" + V + " VF=" + VF);
  for (int v : pick) { double[] x = r[v].clone(); Arrays.sort(x); System.out.printf("%-8s median %.2f GFLOP/s  min %.2f max %.2f%n", NAMES[v], x[rounds / 2], x[0], x[rounds - 1]); }
 }
}""")
open("/tmp/tiles/TileProbe.java", "w").write("\n".join(out))
