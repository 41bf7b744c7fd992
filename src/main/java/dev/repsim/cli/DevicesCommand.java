package dev.repsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.repsim.backend.AutoChoice;
import dev.repsim.backend.Backends;
import dev.repsim.io.InputException;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.Metric;
import dev.repsim.backend.opencl.ClDevice;
import dev.repsim.backend.opencl.ClDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code repsim devices}: every OpenCL platform and device with the limits the kernels are tuned
 * from, and the backend {@code --backend auto} resolves to. Indices are what {@code --device N} means.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List OpenCL platforms and devices with their limits, and the backend --backend auto would pick.")
public final class DevicesCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--n", paramLabel = "N", description = "With --d: say what --backend auto picks for each metric at n samples.")
    Long n;

    @Option(names = "--d", paramLabel = "D", description = "Width (the wider of X and Y) for --n.")
    Integer d;

    @Option(names = "--precision", defaultValue = "f64", description = "f64 or f32, for --n (default: ${DEFAULT-VALUE}).")
    String precision;

    @Override
    public Integer call() throws Exception {
        if ((n == null) != (d == null)) throw new InputException("devices: --n and --d go together");
        if (n != null && (n < 2 || d < 1)) throw new InputException("devices: --n needs at least 2 samples and --d at least 1 column");
        Precision p = n == null ? Precision.F64 : Precision.parse(precision);
        ClDevices.Listing l = ClDevices.list();
        String auto = Backends.autoChoice();
        Map<String, AutoChoice.Choice> picks = new LinkedHashMap<>();
        if (n != null) {
            Backends.cpuAuto().ifPresent(a -> {
                for (Metric m : Metric.values()) picks.put(m.label(), a.choose(m.label(), p, n, d));
            });
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            List<Map<String, Object>> devs = new ArrayList<>();
            for (ClDevice d : l.devices()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", d.index());
                m.put("platform", d.platformName());
                m.put("name", d.name());
                m.put("vendor", d.vendor());
                m.put("version", d.version());
                m.put("type", d.type());
                m.put("global_mem_bytes", d.globalMem());
                m.put("max_alloc_bytes", d.maxAlloc());
                m.put("local_mem_bytes", d.localMem());
                m.put("compute_units", d.computeUnits());
                m.put("max_work_group_size", d.maxWorkGroup());
                m.put("fp64", d.fp64());
                m.put("preferred_vector_width_float", d.prefVectorFloat());
                m.put("preferred_vector_width_double", d.prefVectorDouble());
                devs.add(m);
            }
            out.put("opencl_devices", devs);
            if (!l.usable()) out.put("opencl_problem", l.problem() + "; " + ClDevices.INSTALL_HINT);
            out.put("auto", auto);
            if (n != null) {
                Map<String, Object> w = new LinkedHashMap<>();
                picks.forEach((m, c) -> w.put(m, c.toJson()));
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("n", n);
                a.put("d", d);
                a.put("precision", p.label());
                a.put("metrics", w);
                out.put("auto_picks", a);
            }
            System.out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return 0;
        }
        if (l.usable()) {
            System.out.println("OpenCL devices (--device INDEX or part of the name):");
            for (ClDevice d : l.devices()) {
                System.out.println("  " + d.label());
                System.out.println("      " + d.limits());
            }
        } else {
            System.out.println("No usable OpenCL device: " + l.problem() + ".");
            System.out.println("  To get one: " + ClDevices.INSTALL_HINT);
        }
        System.out.println("--backend auto picks: " + auto);
        if (n != null && !picks.isEmpty()) {
            System.out.printf(java.util.Locale.ROOT, "At n=%d, d=%d, %s:%n", n, d, p.label());
            picks.forEach((m, c) -> System.out.printf(java.util.Locale.ROOT, "  %-22s %-5s %s%n", m, c.backend(), c.reason()));
        }
        return 0;
    }
}
