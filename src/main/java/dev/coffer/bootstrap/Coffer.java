package dev.coffer.bootstrap;

import dev.coffer.admission.Admission;
import dev.coffer.admission.Rights;
import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.BlobLocks;
import dev.coffer.audit.AuditLog;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.TempFileStagedBlob;
import dev.coffer.cluster.Resync;
import dev.coffer.common.Clock;
import dev.coffer.common.Invalidation;
import dev.coffer.config.Backends;
import dev.coffer.config.Settings;
import dev.coffer.credential.Authenticator;
import dev.coffer.credential.LoginThrottle;
import dev.coffer.credential.PasswordAuthenticator;
import dev.coffer.credential.PasswordWorkers;
import dev.coffer.http.AuditTrail;
import dev.coffer.http.ClientAddress;
import dev.coffer.http.FastDownloads;
import dev.coffer.http.Guard;
import dev.coffer.http.HttpServer;
import dev.coffer.http.RequestRecorder;
import dev.coffer.identity.PasswordHasher;
import dev.coffer.identity.PasswordPolicy;
import dev.coffer.identity.UserService;
import dev.coffer.ops.Metrics;
import dev.coffer.ops.Operations;
import dev.coffer.permission.AccessService;
import dev.coffer.permission.PermissionService;
import dev.coffer.persistence.CascadingRepositoryStore;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcArtifactStore;
import dev.coffer.persistence.JdbcAuditStore;
import dev.coffer.persistence.JdbcCredentialStore;
import dev.coffer.persistence.JdbcLockoutStore;
import dev.coffer.persistence.JdbcPermissionTargetStore;
import dev.coffer.persistence.JdbcRepositoryStore;
import dev.coffer.persistence.JdbcUserStore;
import dev.coffer.persistence.PostgresBlobLocks;
import dev.coffer.persistence.PostgresEventBus;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.repository.RepositoryService;
import dev.coffer.token.CredentialIssuer;
import dev.coffer.token.CredentialService;
import dev.coffer.token.IssuingRules;
import dev.coffer.token.Subjects;
import dev.coffer.virtual.LocalMemberContent;
import dev.coffer.virtual.VirtualResolver;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final RemoteRepositories remote;

    private Coffer(
            Settings settings,
            Services services,
            HttpServer http,
            AuditLog audit,
            int port,
            Operations ops,
            List<AutoCloseable> background,
            RemoteRepositories remote) {
        this.background = background;
        this.remote = remote;
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
    public record Services(
            Database database,
            BlobStore blobs,
            Invalidation invalidation,
            RepositoryService repositories,
            UserService users,
            PermissionService permissions,
            AccessService access,
            ArtifactService artifacts,
            CredentialService credentials,
            Metrics metrics,
            CredentialIssuer issuing,
            dev.coffer.format.npm.NpmStore npm) {}

    public static Services services(Settings settings) {
        DataFolder.prepare(settings); // 0700/0600 before the database, logs or blob store create anything
        Database db = StorageBackends.database(settings);
        BlobStore blobs = null;
        try {
            blobs = StorageBackends.blobs(settings, TempFileStagedBlob.backgroundDeleter());
            Jdbc jdbc = new Jdbc(db.dataSource());
            Clock clock = Clock.SYSTEM;
            Invalidation invalidation = new Invalidation();
            // deleting a user, group or repository removes it from every permission target in the
            // same transaction, so the stores of those three share the targets' store
            JdbcPermissionTargetStore targets = new JdbcPermissionTargetStore(jdbc, db.dialect());
            RepositoryService repositories = new RepositoryService(
                    new CascadingRepositoryStore(new JdbcRepositoryStore(jdbc), targets),
                    clock,
                    invalidation,
                    SecretsKeyFile.open(settings.secretsKeyFile()));
            SecretsKeyFile.warnIfUnreadable(repositories, settings.secretsKeyFile());
            UserService users = new UserService(
                    new JdbcUserStore(jdbc, targets),
                    new PasswordHasher(),
                    new PasswordPolicy(settings.passwordMinLength()),
                    clock,
                    invalidation);
            PermissionService permissions = new PermissionService(targets, clock, invalidation);
            // a database from before names were checked may hold grants of deleted users (WARN each)
            permissions.removeUnknownNames();
            AccessService access = new AccessService(repositories, permissions);
            // nodes sharing PostgreSQL lock blobs through it; the embedded database has one writer
            BlobLocks blobLocks =
                    db.dialect() == Database.Dialect.POSTGRESQL ? new PostgresBlobLocks(jdbc) : BlobLocks.local();
            ArtifactService artifacts =
                    new ArtifactService(new JdbcArtifactStore(jdbc), blobs, clock, blobLocks, invalidation);
            CredentialService credentials =
                    new CredentialService(new JdbcCredentialStore(jdbc), clock, invalidation, settings.sessionTtl());
            CredentialIssuer issuing = new CredentialIssuer(
                    new IssuingRules(settings.tokenTtl(), settings.tokenMaxLifetime()),
                    credentials,
                    Subjects.of(users::find, users::findById),
                    clock);
            return new Services(
                    db,
                    blobs,
                    invalidation,
                    repositories,
                    users,
                    permissions,
                    access,
                    artifacts,
                    credentials,
                    new Metrics(),
                    issuing,
                    new dev.coffer.persistence.JdbcNpmStore(jdbc));
        } catch (RuntimeException e) {
            if (blobs != null) {
                blobs.close();
            }
            db.close();
            throw e;
        }
    }

    public static Coffer start(Settings settings, Map<String, String> env, PrintStream out) {
        return start(settings, env, out, UnaryOperator.identity());
    }

    /** {@code passwordCheck} wraps the slow password check: tests hold it to see what goes on meanwhile. */
    public static Coffer start(
            Settings settings,
            Map<String, String> env,
            PrintStream out,
            UnaryOperator<PasswordAuthenticator.PasswordCheck> passwordCheck) {
        return start(settings, env, out, passwordCheck, Clock.SYSTEM);
    }

    /**
     * @param remoteClock the time remote repositories judge their cache by (metadata age, remembered
     *     404s): tests move it instead of waiting
     */
    public static Coffer start(
            Settings settings,
            Map<String, String> env,
            PrintStream out,
            UnaryOperator<PasswordAuthenticator.PasswordCheck> passwordCheck,
            Clock remoteClock) {
        ClientAddress clients = ClientAddress.trusting(settings.trustedProxies()); // a bad entry stops the start here
        Services s = services(settings);
        try {
            s.blobs().cleanTemporary();
            FirstAdmin.ensure(s.users(), settings, env.get("COFFER_ADMIN_PASSWORD"), out);
            int swept = s.artifacts().sweep();
            if (swept > 0) {
                LOG.info("removed {} unreferenced blobs", swept);
            }
            LoginThrottle throttle = new LoginThrottle(
                    settings.lockout(),
                    settings.lockoutAddress(),
                    settings.lockoutWindow(),
                    Clock.SYSTEM,
                    new JdbcLockoutStore(
                            new Jdbc(s.database().dataSource()), s.database().dialect()),
                    s.invalidation());
            List<AutoCloseable> background = startCluster(settings, s);
            PasswordWorkers hashing = new PasswordWorkers(settings.passwordConcurrency(), settings.passwordQueue());
            background.add(hashing); // closed after the HTTP server has stopped
            PasswordAuthenticator passwords = new PasswordAuthenticator(
                    s.users(),
                    s.invalidation(),
                    Duration.ofMinutes(5),
                    throttle,
                    hashing,
                    passwordCheck.apply(s.users()::verifyPassword));
            Authenticator authenticator = new Authenticator(passwords, s.credentials(), s.users(), throttle);
            AuditLog audit = new AuditLog(
                    new JdbcAuditStore(new Jdbc(s.database().dataSource())),
                    Clock.SYSTEM,
                    settings.auditRetention(),
                    settings.auditQueue());
            Operations ops = null;
            HttpServer http = null;
            try {
                RemoteRepositories remote = Remotes.create(settings, s, remoteClock);
                background.add(remote); // closed with the rest, after the HTTP server has stopped
                audit.startPurging();
                AuditTrail trail = new AuditTrail(audit);
                // one decision for admission and for the virtual layer's per-member checks
                Rights rights = Rights.of(s.access(), s.repositories());
                Admission admission = new Admission(authenticator::authenticate, rights);
                LocalMemberContent stored = new LocalMemberContent(s.artifacts());
                VirtualResolver virtuals = new VirtualResolver(
                        s.repositories()::find, stored, new RemoteMembers(remote, s.artifacts()), rights::allows);
                Guard guard = new Guard(admission, trail);
                ops = Operations.open(settings, s.metrics());
                FastDownloads fast = settings.fastDownloads()
                        ? new FastDownloads(admission, s.artifacts(), s.repositories(), trail, remote, virtuals)
                        : null;
                ServerMeters.register(s, passwords, audit, fast);
                Remotes.meter(s, remote);
                http = new HttpServer(
                        guard,
                        RouteTable.routes(settings, s, authenticator, audit, trail, remote, virtuals),
                        new RequestRecorder(s.metrics().registry(), ops.accessLog(), clients),
                        clients,
                        fast);
                int port = http.start(settings.host(), settings.port());
                ops.startManagement(out);
                return new Coffer(settings, s, http, audit, port, ops, background, remote);
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
            closeQuietly(s.credentials()); // its flusher thread (a refused first admin password ends here)
            s.database().close();
            s.blobs().close();
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

    /** 24 characters (about 141 bits), or {@code minLength} where the policy asks for more. */
    static String randomPassword(int minLength) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.max(24, minLength); i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public int port() {
        return port;
    }

    /** Remote repositories' reads (their meters, and a hook tests synchronise on). */
    public RemoteRepositories remote() {
        return remote;
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
        services.blobs().close();
    }
}
