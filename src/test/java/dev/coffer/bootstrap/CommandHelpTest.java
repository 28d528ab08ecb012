package dev.coffer.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} is clean: exit 0, the usage first, and nothing from picocli's own
 * warnings (a '%F' in an example was once read as a format string and printed a WARN line).
 */
class CommandHelpTest {

    /** Every command and subcommand, as the words a user types: [], [serve], [token, create], ... */
    private static List<List<String>> commands(CommandLine cl, List<String> prefix) {
        List<List<String>> out = new ArrayList<>();
        out.add(prefix);
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases are the same command
                List<String> next = new ArrayList<>(prefix);
                next.add(name);
                out.addAll(commands(sub, next));
            }
        });
        return out;
    }

    @Test
    void everyCommandsHelpIsClean() {
        List<List<String>> all = commands(new CommandLine(new Main()), List.of());
        assertThat(all).hasSizeGreaterThan(8);
        for (List<String> words : all) {
            List<String> args = new ArrayList<>(words);
            args.add("--help");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            // picocli's tracer writes its warnings to System.err itself
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int code;
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            try {
                CommandLine cl = new CommandLine(new Main());
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                code = cl.execute(args.toArray(String[]::new));
            } finally {
                System.setErr(saved);
            }
            String what = "coffer " + String.join(" ", args);
            assertThat(code).as(what + " exit code; err: " + err).isZero();
            assertThat(out.toString()).as(what).startsWith("Usage: coffer");
            assertThat(err.toString()).as(what + " error output").isEmpty();
            assertThat(stderr.toString(StandardCharsets.UTF_8))
                    .as(what + " standard error")
                    .isEmpty();
        }
    }
}
