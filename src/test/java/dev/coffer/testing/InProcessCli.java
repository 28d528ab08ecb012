package dev.coffer.testing;

import dev.coffer.bootstrap.Main;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The {@code coffer} command line run in this JVM, its output captured (the packaged jar: it/Cli). */
public final class InProcessCli {
    private InProcessCli() {}

    /** Exit code, standard output (line ends as "\n") and standard error of one run. */
    public record Run(int code, String out, String err) {
        public List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    /** {@code coffer ARGS}, exactly these. */
    public static Run run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString().replace("\r\n", "\n"), err.toString());
    }

    /** {@code coffer ARGS --data DATA}. */
    public static Run run(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data");
        all.add(data.toString());
        return run(all.toArray(String[]::new));
    }

    /** {@code coffer ARGS --data DATA} with {@code stdin} (when not null) as its standard input. */
    public static Run withInput(String stdin, Path data, String... args) {
        InputStream before = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            return run(data, args);
        } finally {
            System.setIn(before);
        }
    }
}
