package dev.repsim.cli;

import dev.repsim.io.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code repsim} command line. Each sub-command is a small class of its own in this package; bad
 * input ends with one line on stderr naming the file or option and the problem, exit status 2, and
 * nothing on stdout.
 */
@Command(name = "repsim", mixinStandardHelpOptions = true, version = "repsim 0.1.0",
        description = "Representation similarity of vision models under image-variant removal, with CPU and GPU metric kernels.")
public final class Main implements Runnable {

    /** Sub-commands, one per line. */
    static List<Object> subcommands() {
        return List.of(
                new MetricsCommand(),
                new KnnCommand(),
                new DemoCommand(),
                new StudyCommand(),
                new BenchCommand(),
                new BenchReportCommand(),
                new VariantsCommand(),
                new EmbedCommand(),
                new MakeModelCommand(),
                new ImportTfjsCommand(),
                new DevicesCommand(),
                new PlanCommand()
        );
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No command given: the usage with the list of commands, on stdout, exit status 0. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with every sub-command and the error handlers (tests read its help text). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object sub : subcommands()) cl.addSubcommand(sub);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof InputException || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
                err.println(prefix(cmd) + ": " + ex.getMessage());
                err.flush();
                return 2;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(prefix(cmd) + ": " + ex.getMessage()
                    + (cmd.getParent() == null ? " (commands: " + String.join(", ", cmd.getSubcommands().keySet()) + "; see repsim --help)" : ""));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.flush();
            return 2;
        });
        return cl;
    }

    /** "repsim" for the top level, "repsim CMD" for a sub-command. */
    private static String prefix(CommandLine cmd) {
        return cmd.getParent() == null ? "repsim" : "repsim " + cmd.getCommandName();
    }
}
