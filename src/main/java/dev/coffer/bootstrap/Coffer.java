package dev.coffer.bootstrap;

import dev.coffer.admission.Admission;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.audit.AuditLog;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.TempFileStagedBlob;
import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.blob.s3.S3BlobStore;
import dev.coffer.config.Backends;
import dev.coffer.common.Clock;
import dev.coffer.common.Invalidation;
import dev.coffer.config.Settings;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.LoginThrottle;
import dev.coffer.credential.PasswordAuthenticator;
import dev.coffer.credential.PasswordWorkers;
import dev.coffer.http.AccessCheckRoutes;
import dev.coffer.http.AccountRoutes;
import dev.coffer.http.AuditRoutes;
import dev.coffer.http.AuditTrail;
import dev.coffer.http.BuildRoutes;
import dev.coffer.http.CredentialRoutes;
import dev.coffer.persistence.JdbcCredentialStore;
import dev.coffer.token.CredentialService;
import dev.coffer.token.IssuingRules;
import dev.coffer.http.ContentRoutes;
import dev.coffer.http.Guard;
import dev.coffer.http.FastDownloads;
import dev.coffer.http.HttpServer;
import dev.coffer.http.IdentityRoutes;
import dev.coffer.http.LinkBase;
import dev.coffer.http.PermissionRoutes;
import dev.coffer.http.RepositoryRoutes;
import dev.coffer.http.Route;
import dev.coffer.http.StorageRoutes;
import dev.coffer.http.SystemRoutes;
import dev.coffer.identity.PasswordHasher;
import dev.coffer.identity.UserService;
import dev.coffer.http.MetricsRoutes;
import dev.coffer.http.RequestRecorder;
import dev.coffer.ops.Metrics;
import dev.coffer.ops.Operations;
import dev.coffer.permission.AccessService;
import dev.coffer.permission.PermissionService;
import dev.coffer.persistence.CascadingRepositoryStore;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcArtifactStore;
import dev.coffer.persistence.JdbcAuditStore;
import dev.coffer.persistence.JdbcLockoutStore;
import dev.coffer.persistence.PostgresEventBus;
import dev.coffer.http.ClientAddress;
import dev.coffer.persistence.PostgresBlobLocks;
import dev.coffer.artifact.BlobLocks;
import dev.coffer.cluster.Resync;
import dev.coffer.persistence.JdbcPermissionTargetStore;
import dev.coffer.persistence.JdbcRepositoryStore;
import dev.coffer.persistence.JdbcUserStore;
import dev.coffer.repository.RepositoryService;
import dev.coffer.web.WebRoutes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place that picks implementations and wires every slice by
 * constructor. Nothing else creates services.
 */
public final class Coffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Coffer.class);

    private final Settings settings;
    private final Services services;
    private final HttpServer http;
    private final AuditLog audit;
    private final int port;
    private final Operations ops;
    private final List<AutoCloseable> background;

    private Coffer(Settings settings, Services services, HttpServer http, AuditLog audit, int port, Operations ops,
            List<AutoCloseable> background) {
        this.background = background;
        this.settings = settings;
        this.services = services;
        this.http = http;
        this.audit = audit;
        this.port = port;
        this.ops = ops;
    }

    public Services services() {
        return services;
    }

    /** The services of one instance, for the server and for the command-line tools. */
    public record Services(Database database, BlobStore blobs, Invalidation invalidation, RepositoryService repositories,
            UserService users, PermissionService permissions, AccessService access, ArtifactService artifacts,
            CredentialService credentials, Metrics metrics, IssuingRules issuing) {}

    public static Services services(Settings settings) {
        DataFolder.prepare(settings); // 0700/0600 before the database, logs or blob store create anything
        Database db = openDatabase(settings);
        try {
            BlobStore blobs = openBlobs(settings, TempFileStagedBlob.backgroundDeleter());
            Jdbc jdbc = new Jdbc(db.dataSource());
            Clock clock = Clock.SYSTEM;
            Invalidation invalidation = new Invalidation();
            // deleting a user, group or repository removes it from every permission target in the
            // same transaction, so the stores of those three share the targets' store
            JdbcPermissionTargetStore targets = new JdbcPermissionTargetStore(jdbc, db.dialect());
            RepositoryService repositories = new RepositoryService(
                    new CascadingRepositoryStore(new JdbcRepositoryStore(jdbc), targets), clock, invalidation);
            UserService users = new UserService(new JdbcUserStore(jdbc, targets), new PasswordHasher(), clock,
                    invalidation);
            PermissionService permissions = new PermissionService(targets, clock, invalidation);
            // a database from before names were checked may hold grants of deleted users (WARN each)
            permissions.removeUnknownNames();
            AccessService access = new AccessService(repositories, permissions);
            // nodes sharing PostgreSQL lock blobs through it; the embedded database has one writer
            BlobLocks blobLocks = db.dialect() == Database.Dialect.POSTGRESQL ? new PostgresBlobLocks(jdbc)
                    : BlobLocks.local();
            ArtifactService artifacts = new ArtifactService(new JdbcArtifactStore(jdbc), blobs, clock, blobLocks,
                    invalidation);
            CredentialService credentials = new CredentialService(new JdbcCredentialStore(jdbc), clock, invalidation,
                    settings.sessionTtl());
            return new Services(db, blobs, invalidation, repositories, users, permissions, access, artifacts, credentials,
                    new Metrics(), new IssuingRules(settings.tokenTtl(), settings.tokenMaxLifetime()));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** The embedded SQLite database under the data folder, or PostgreSQL when database.url is set. */
    static Database openDatabase(Settings settings) {
        Backends.DatabaseSettings d = settings.backends().database();
        if (d.embedded()) {
            return Database.sqlite(settings.data().resolve("coffer.db"));
        }
        return Database.postgres(d.url(), d.user(), d.password(), d.poolSize());
    }

    /**
     * The file store under the data folder, or an S3 bucket (uploads staged under data/staging).
     * {@code largeDeletes} deletes what is left of a large committed upload (see TempFileStagedBlob).
     */
    static BlobStore openBlobs(Settings settings, Executor largeDeletes) {
        Backends.StorageSettings st = settings.backends().storage();
        if (st.kind() == Backends.StorageKind.S3) {
            S3BlobStore s3 = new S3BlobStore(S3BlobStore.client(new S3BlobStore.Connection(st.endpoint(),
                    st.region(), st.bucket(), st.pathStyle(), st.accessKey(), st.secretKey())), st.bucket(),
                    settings.data().resolve("staging"), S3BlobStore.DEFAULT_PART_SIZE, largeDeletes);
            try {
                s3.checkBucket(st.endpoint().isEmpty() ? "region " + st.region() : st.endpoint());
            } catch (RuntimeException e) {
                s3.close();
                throw e;
            }
            return s3;
        }
        return new FsBlobStore(settings.data().resolve("store"), largeDeletes);
    }

    public static Coffer start(Settings settings, Map<String, String> env, PrintStream out) {
        return start(settings, env, out, UnaryOperator.identity());
    }

    /** {@code passwordCheck} wraps the slow password check: tests hold it to see what goes on meanwhile. */
    public static Coffer start(Settings settings, Map<String, String> env, PrintStream out,
            UnaryOperator<PasswordAuthenticator.PasswordCheck> passwordCheck) {
        ClientAddress clients = ClientAddress.trusting(settings.trustedProxies()); // a bad entry stops the start here
        Services s = services(settings);
        try {
            s.blobs().cleanTemporary();
            bootstrapAdmin(s.users(), settings.data(), env.get("COFFER_ADMIN_PASSWORD"), out);
            int swept = s.artifacts().sweep();
            if (swept > 0) {
                LOG.info("removed {} unreferenced blobs", swept);
            }
            LoginThrottle throttle = new LoginThrottle(settings.lockout(), settings.lockoutAddress(),
                    settings.lockoutWindow(), Clock.SYSTEM, new JdbcLockoutStore(new Jdbc(s.database().dataSource()),
                            s.database().dialect()), s.invalidation());
            List<AutoCloseable> background = startCluster(settings, s);
            PasswordWorkers hashing = new PasswordWorkers(settings.passwordConcurrency(), settings.passwordQueue());
            background.add(hashing); // closed after the HTTP server has stopped
            PasswordAuthenticator passwords = new PasswordAuthenticator(s.users(), s.invalidation(),
                    Duration.ofMinutes(5), throttle, hashing, passwordCheck.apply(s.users()::verifyPassword));
            Authenticator authenticator = new Authenticator(passwords, s.credentials(), s.users(), throttle);
            AuditLog audit = new AuditLog(new JdbcAuditStore(new Jdbc(s.database().dataSource())), Clock.SYSTEM,
                    settings.auditRetention(), settings.auditQueue());
            Operations ops = null;
            HttpServer http = null;
            try {
                audit.startPurging();
                AuditTrail trail = new AuditTrail(audit);
                Admission admission = new Admission(authenticator, s.access(), s.repositories());
                Guard guard = new Guard(admission, trail);
                ops = Operations.open(settings, s.metrics());
                s.metrics().monitor("credentials", s.credentials().cacheForMetrics());
                s.metrics().monitor("passwords", passwords.cacheForMetrics());
                s.metrics().monitor("files", s.artifacts().cacheForMetrics());
                io.micrometer.core.instrument.Gauge.builder("coffer_audit_queue_depth", audit, AuditLog::queueDepth)
                        .description("artifact reads waiting to be written to the audit log")
                        .register(s.metrics().registry());
                io.micrometer.core.instrument.FunctionCounter.builder("coffer_audit_dropped_reads", audit,
                        AuditLog::dropped).description("artifact reads not audited because the queue was full")
                        .register(s.metrics().registry());
                FastDownloads fast = settings.fastDownloads()
                        ? new FastDownloads(admission, s.artifacts(), s.repositories(), trail)
                        : null;
                if (fast != null) {
                    io.micrometer.core.instrument.FunctionCounter.builder("coffer_fast_downloads", fast,
                            FastDownloads::served).description("small-file downloads served in front of the router")
                            .register(s.metrics().registry());
                    io.micrometer.core.instrument.FunctionCounter.builder("coffer_fast_downloads_handed_off", fast,
                            FastDownloads::handedOff).description("requests the selector thread handed to a thread "
                                    + "that may wait (a credential, file or content not in memory, a password to hash)")
                            .register(s.metrics().registry());
                }
                http = new HttpServer(guard, routes(settings, s, authenticator, audit, trail),
                        new RequestRecorder(s.metrics().registry(), ops.accessLog(), clients), clients, fast);
                int port = http.start(settings.host(), settings.port());
                ops.startManagement(out);
                return new Coffer(settings, s, http, audit, port, ops, background);
            } catch (RuntimeException e) {
                background.forEach(Coffer::closeQuietly);
                if (http != null) {
                    http.stop(0);
                }
                if (ops != null) {
                    ops.close();
                }
                audit.close();
                throw e;
            }
        } catch (RuntimeException e) {
            s.database().close();
            throw e;
        }
    }

    /**
     * Nodes on one PostgreSQL database tell each other about changes (LISTEN/NOTIFY); every node,
     * embedded ones too, also re-reads its caches on a timer in case an event was missed.
     */
    private static List<AutoCloseable> startCluster(Settings settings, Services s) {
        List<AutoCloseable> started = new ArrayList<>();
        Backends.DatabaseSettings d = settings.backends().database();
        if (!d.embedded()) {
            started.add(new PostgresEventBus(s.database(), d.url(), d.user(), d.password(), s.invalidation()).start());
        }
        started.add(new Resync(s.invalidation(), settings.clusterResync()));
        return started;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.getMessage());
        }
    }

    static List<Route> routes(Settings settings, Services s, Authenticator authenticator, AuditLog audit,
            AuditTrail trail) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new SystemRoutes(() -> healthy(s)).routes());
        routes.addAll(new ContentRoutes(s.artifacts(), s.repositories(), s.access(), settings.maxUploadBytes(), trail)
                .routes());
        routes.addAll(new StorageRoutes(s.artifacts(), s.repositories(), s.access(), trail).routes());
        routes.addAll(new BuildRoutes(s.artifacts(), s.access(),
                new LinkBase(settings.publicUrl(), ClientAddress.trusting(settings.trustedProxies()))).routes());
        routes.addAll(new RepositoryRoutes(s.repositories(), s.artifacts(), s.access(), settings.maxJsonBytes(), trail)
                .routes());
        routes.addAll(new IdentityRoutes(s.users(), settings.maxJsonBytes(), trail).routes());
        routes.addAll(new PermissionRoutes(s.permissions(), settings.maxJsonBytes(), trail).routes());
        routes.addAll(new CredentialRoutes(authenticator, s.credentials(), s.users(), s.issuing(),
                settings.maxJsonBytes(), trail).routes());
        routes.addAll(new AccessCheckRoutes(s.access(), s.users()).routes());
        routes.addAll(new AuditRoutes(audit).routes());
        routes.addAll(new MetricsRoutes(s.metrics()::scrape, Metrics.CONTENT_TYPE).routes());
        routes.addAll(new AccountRoutes(authenticator, s.users(), settings.maxJsonBytes(), trail).routes());
        routes.addAll(new WebRoutes().routes());
        return routes;
    }

    private static boolean healthy(Services s) {
        try (var c = s.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("SELECT 1");
            s.blobs().exists("0".repeat(64));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** First start: create 'admin' with the given password or a random one kept in a 0600 file. */
    static void bootstrapAdmin(UserService users, Path data, String password, PrintStream out) {
        if (!users.list().isEmpty()) {
            return;
        }
        String pw = password;
        if (pw == null || pw.isEmpty()) {
            pw = randomPassword();
            Path file = data.resolve("admin.password");
            try {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
                Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
            }
            out.println("created user 'admin' with password " + pw + " (also in " + file + ")");
        } else {
            out.println("created user 'admin' with the password from COFFER_ADMIN_PASSWORD");
        }
        users.put("admin", new UserService.UserChange(pw, null, true, null, false));
    }

    static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public int port() {
        return port;
    }

    public HttpServer http() {
        return http;
    }

    /** The audit trail (its queue depth and drop count are also metrics). */
    public AuditLog audit() {
        return audit;
    }

    /** The management listener's port (metrics.port), or -1 when there is none. */
    public int managementPort() {
        return ops.managementPort();
    }

    @Override
    public void close() {
        http.stop(settings.shutdownGrace().toMillis());
        background.forEach(Coffer::closeQuietly);
        audit.close();
        ops.close();
        services.credentials().close();
        services.database().close();
        if (services.blobs() instanceof S3BlobStore s3) {
            s3.close();
        }
    }
}
