package dev.coffer.bootstrap;

import dev.coffer.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line: {@code coffer serve [--host] [--port] [--data] [--config]}, and the set-up
 * commands {@code coffer token create|list|revoke}, {@code coffer user add}, {@code coffer repo create}
 * (see {@link SetupCommands}), {@code coffer backup|restore} ({@link BackupCommands}) and
 * {@code coffer migrate} ({@link MigrateCommand}).
 */
@Command(
        name = "coffer",
        mixinStandardHelpOptions = true,
        version = "coffer 0.1.0",
        description = "A self-hosted artifact repository where access is right.",
        subcommands = {
            Main.Serve.class,
            SetupCommands.Token.class,
            SetupCommands.Users.class,
            RepoCommands.Repo.class,
            VerifyCommand.class,
            BackupCommands.BackupCommand.class,
            BackupCommands.RestoreCommand.class,
            MigrateCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Options shared by every command that opens a data folder. */
    static final class Common {
        @Option(names = "--data", description = "data folder (COFFER_DATA, default ./data)")
        String data;

        @Option(names = "--config", description = "config file (COFFER_CONFIG)")
        Path config;

        Settings settings(Map<String, String> extra) {
            Map<String, String> opts = new LinkedHashMap<>(extra);
            if (data != null) {
                opts.put("data", data);
            }
            Path cfg = config;
            if (cfg == null && System.getenv("COFFER_CONFIG") != null) {
                cfg = Path.of(System.getenv("COFFER_CONFIG"));
            }
            return Settings.load(opts, System.getenv(), cfg);
        }
    }

    /** True when nothing listens on host:port yet (port 0 always is). */
    static boolean portFree(String host, int port) {
        if (port == 0) {
            return true;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(host, port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the server.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--host", description = "address to listen on (COFFER_HOST, default 127.0.0.1)")
        String host;

        @Option(names = "--port", description = "port; 0 picks a free one (COFFER_PORT, default 8080)")
        String port;

        @Override
        public Integer call() throws Exception {
            Map<String, String> opts = new LinkedHashMap<>();
            if (host != null) {
                opts.put("host", host);
            }
            if (port != null) {
                opts.put("port", port);
            }
            Settings settings;
            try {
                settings = common.settings(opts);
            } catch (IllegalArgumentException e) {
                System.err.println("coffer: " + e.getMessage());
                return 2;
            }
            if (!portFree(settings.host(), settings.port())) {
                // before anything is created in the data folder: one line that says what to do
                System.err.println(
                        "coffer: cannot listen on " + settings.host() + ":" + settings.port()
                                + ": the port is in use (is another Coffer running?); choose another with --port or COFFER_PORT");
                return 1;
            }
            // The hook is in place before anything starts, so a SIGTERM at any moment after the
            // listening line finishes requests in flight and closes the database cleanly.
            java.util.concurrent.atomic.AtomicReference<Coffer> running =
                    new java.util.concurrent.atomic.AtomicReference<>();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                Coffer c = running.getAndSet(null);
                                if (c != null) {
                                    c.close();
                                    System.out.println("coffer stopped");
                                    System.out.flush();
                                }
                                stopped.countDown();
                            },
                            "coffer-shutdown"));
            Coffer coffer;
            try {
                coffer = Coffer.start(settings, System.getenv(), System.out);
            } catch (IllegalStateException e) {
                // e.g. PostgreSQL unreachable: one clear line, not a stack trace
                System.err.println("coffer: " + e.getMessage());
                return 1;
            }
            running.set(coffer);
            System.out.println("coffer listening on http://" + settings.host() + ":" + coffer.port());
            System.out.flush();
            stopped.await();
            return 0;
        }
    }
}
