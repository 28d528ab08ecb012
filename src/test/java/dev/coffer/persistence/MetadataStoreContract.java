package dev.coffer.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.artifact.FileRecord;
import dev.coffer.audit.AuditEvent;
import dev.coffer.audit.AuditQuery;
import dev.coffer.audit.StoredEvent;
import dev.coffer.authz.PermissionTarget;
import dev.coffer.blob.Checksums;
import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.identity.Group;
import dev.coffer.identity.User;
import dev.coffer.permission.PermissionTargetStore;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.repository.VirtualSettings;
import dev.coffer.token.CredentialStore;
import dev.coffer.token.SecretKind;
import dev.coffer.token.StoredCredential;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every metadata store must do, whatever database holds it: the five JDBC stores on one
 * freshly migrated database per test class, emptied before each test. Subclasses supply the
 * database (embedded SQLite, PostgreSQL); the same migrations and SQL must behave the same on all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MetadataStoreContract {
    private static final String[] TABLES = {
        "properties",
        "files",
        "access_tokens",
        "session_tokens",
        "access_keys",
        "group_members",
        "user_groups",
        "users",
        "repositories",
        "permission_targets",
        "audit_events"
    };

    protected Database database;
    protected JdbcRepositoryStore repositories;
    protected JdbcUserStore users;
    protected JdbcPermissionTargetStore targets;
    protected JdbcArtifactStore artifacts;
    protected JdbcCredentialStore credentials;
    protected JdbcAuditStore audit;

    /** A new, migrated database for this test class. */
    protected abstract Database openDatabase();

    @BeforeAll
    void open() {
        database = openDatabase();
        Jdbc jdbc = new Jdbc(database.dataSource());
        targets = new JdbcPermissionTargetStore(jdbc, database.dialect());
        repositories = new JdbcRepositoryStore(jdbc);
        users = new JdbcUserStore(jdbc, targets);
        artifacts = new JdbcArtifactStore(jdbc);
        credentials = new JdbcCredentialStore(jdbc);
        audit = new JdbcAuditStore(jdbc);
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                Statement st = c.createStatement()) {
            for (String t : TABLES) {
                st.executeUpdate("DELETE FROM " + t);
            }
        }
    }

    // ---- repositories

    @Test
    void repositoriesRoundTripAndUpsertKeepsCreationTime() {
        repositories.upsert(new Repository("libs", "Libraries", false, 1, 1));
        repositories.upsert(new Repository("libs", "Renamed", true, 5, 2));

        assertThat(repositories.find("libs")).contains(new Repository("libs", "Renamed", true, 1, 2));
        assertThat(repositories.find("LIBS")).isEmpty();
        assertThat(repositories.find("nope")).isEmpty();
        repositories.upsert(new Repository("nodesc", null, false, 3, 3));
        assertThat(repositories.find("nodesc").orElseThrow().description()).isNull();
    }

    @Test
    void classesTypesFiltersAndClassSettingsRoundTrip() throws SQLException {
        Repository remote = new Repository(
                "central",
                "Maven Central",
                true,
                PackageType.MAVEN,
                RepositoryClass.REMOTE,
                new PathFilter(List.of("org/**", "com/acme/**"), List.of("**/*-SNAPSHOT/**")),
                new RemoteSettings(URI.create("https://repo1.maven.org/maven2"), "bot", "v1:c2VhbGVk", 0, true),
                null,
                3,
                4);
        Repository virtual = new Repository(
                "all",
                "",
                false,
                PackageType.MAVEN,
                RepositoryClass.VIRTUAL,
                PathFilter.ALL,
                null,
                new VirtualSettings(List.of("libs", "central"), "libs"),
                5,
                6);
        Repository noDeploy = new Repository(
                "some",
                null,
                false,
                PackageType.GENERIC,
                RepositoryClass.VIRTUAL,
                PathFilter.ALL,
                null,
                new VirtualSettings(List.of(), null),
                5,
                6);
        Repository local = new Repository("libs", "l", false, 1, 2);
        for (Repository r : List.of(remote, virtual, noDeploy, local)) {
            repositories.upsert(r);
        }

        assertThat(repositories.find("central")).contains(remote);
        assertThat(repositories.find("all")).contains(virtual);
        assertThat(repositories.find("some")).contains(noDeploy);
        assertThat(repositories.find("libs")).contains(local);
        assertThat(repositories.list()).containsExactly(virtual, remote, local, noDeploy);
        // a generic local repository with every path is stored as every repository was before
        try (Connection c = database.dataSource().getConnection();
                Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT package_type, rclass, settings FROM repositories WHERE name = 'libs'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("generic");
            assertThat(rs.getString(2)).isEqualTo("local");
            assertThat(rs.getString(3)).isNull();
        }

        // an upsert replaces the settings too
        Repository changed = new Repository(
                "central",
                "Maven Central",
                false,
                PackageType.MAVEN,
                RepositoryClass.REMOTE,
                PathFilter.ALL,
                new RemoteSettings(URI.create("https://mirror.example/maven2"), null, null, 600, false),
                null,
                99,
                7);
        repositories.upsert(changed);
        assertThat(repositories.find("central"))
                .contains(new Repository(
                        "central",
                        "Maven Central",
                        false,
                        PackageType.MAVEN,
                        RepositoryClass.REMOTE,
                        PathFilter.ALL,
                        changed.remote(),
                        null,
                        3,
                        7));
    }

    @Test
    void aRowThisVersionCannotReadIsAnErrorNotAGuess() throws SQLException {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        try (Connection c = database.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE repositories SET settings = '{\"filter\":{\"includePatterns\":[\"**\"],"
                    + "\"excludePatterns\":[],\"onlyOnTuesdays\":true}}' WHERE name = 'libs'");
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> repositories.find("libs")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'libs'")
                .hasMessageContaining("newer version");
        try (Connection c = database.dataSource().getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE repositories SET settings = NULL, package_type = 'cargo' WHERE name = 'libs'");
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> repositories.find("libs")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("package type");
    }

    @Test
    void namesAreListedInCodePointOrderOnEveryDatabase() {
        for (String n : List.of("b", "B", "a-x", "a", "A", "a.x", "a_x", "é", "z")) {
            repositories.upsert(new Repository(n, null, false, 1, 1));
        }

        assertThat(repositories.list())
                .extracting(Repository::name)
                .containsExactly("A", "B", "a", "a-x", "a.x", "a_x", "b", "z", "é");
    }

    @Test
    void deletingARepositoryDeletesItsFilesAndProperties() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        artifacts.upsert(file("libs", "a/b.jar", "1"), Map.of("k", List.of("v")));

        assertThat(repositories.delete("libs")).isTrue();
        assertThat(repositories.delete("libs")).isFalse();
        assertThat(repositories.find("libs")).isEmpty();
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        assertThat(artifacts.find("libs", ArtifactPath.of("a/b.jar"))).isEmpty();
        assertThat(artifacts.findByProperties(Map.of("k", "v"))).isEmpty();
    }

    // ---- users and groups

    @Test
    void usersGetDistinctIdsAndRoundTripWithBooleansAndGroups() {
        users.upsertGroup(new Group("devs", "Developers", 1, 1));
        User alice =
                users.insertUser(new User(0, "alice", "hash-a", "a@example.com", true, false, Set.of("devs"), 1, 2));
        User bob = users.insertUser(new User(0, "bob", "hash-b", null, false, true, Set.of(), 3, 4));

        assertThat(alice.id()).isPositive().isNotEqualTo(bob.id());
        User found = users.findUser("alice").orElseThrow();
        assertThat(found).usingRecursiveComparison().isEqualTo(alice);
        assertThat(users.findUserById(bob.id()).orElseThrow())
                .usingRecursiveComparison()
                .isEqualTo(bob);
        assertThat(users.findUser("Alice")).isEmpty();
        assertThat(users.findUserById(bob.id() + 1000)).isEmpty();
        assertThat(users.listUsers()).extracting(User::username).containsExactly("alice", "bob");
    }

    @Test
    void updatingAUserReplacesEveryFieldAndTheMemberships() {
        users.upsertGroup(new Group("devs", null, 1, 1));
        users.upsertGroup(new Group("ops", null, 1, 1));
        User u = users.insertUser(new User(0, "carol", "h1", null, false, false, Set.of("devs"), 1, 1));

        users.updateUser(new User(u.id(), "carol", "h2", "c@example.com", true, true, Set.of("ops"), 1, 9));

        User found = users.findUser("carol").orElseThrow();
        assertThat(found.passwordHash()).isEqualTo("h2");
        assertThat(found.email()).isEqualTo("c@example.com");
        assertThat(found.admin()).isTrue();
        assertThat(found.disabled()).isTrue();
        assertThat(found.groups()).containsExactly("ops");
        assertThat(found.updatedAt()).isEqualTo(9);
        assertThat(users.groupMembers("devs")).isEmpty();
        assertThat(users.groupMembers("ops")).containsExactly("carol");
    }

    @Test
    void aDuplicateUsernameIsAConflictAndLeavesNothingBehind() {
        users.insertUser(new User(0, "dave", "h", null, false, false, Set.of(), 1, 1));

        CofferException e = catchThrowableOfType(
                CofferException.class,
                () -> users.insertUser(new User(0, "dave", "other", null, true, false, Set.of(), 2, 2)));

        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.Conflict.class);
        assertThat(users.listUsers())
                .singleElement()
                .satisfies(u -> assertThat(u.passwordHash()).isEqualTo("h"));
    }

    @Test
    void aMembershipOfAMissingGroupIsAConflictAndRollsTheInsertBack() {
        CofferException e = catchThrowableOfType(
                CofferException.class,
                () -> users.insertUser(new User(0, "erin", "h", null, false, false, Set.of("ghosts"), 1, 1)));

        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.Conflict.class);
        assertThat(users.findUser("erin")).isEmpty();
    }

    @Test
    void groupsAndMembers() {
        users.upsertGroup(new Group("devs", "first", 1, 1));
        users.upsertGroup(new Group("devs", "second", 5, 2));
        users.upsertGroup(new Group("admins", null, 1, 1));
        users.insertUser(new User(0, "zoe", "h", null, false, false, Set.of(), 1, 1));
        users.insertUser(new User(0, "adam", "h", null, false, false, Set.of(), 1, 1));

        users.setGroupMembers("devs", Set.of("zoe", "adam", "nobody"));

        assertThat(users.findGroup("devs")).contains(new Group("devs", "second", 1, 2));
        assertThat(users.listGroups()).extracting(Group::name).containsExactly("admins", "devs");
        assertThat(users.groupMembers("devs")).containsExactly("adam", "zoe");
        assertThat(users.findUser("zoe").orElseThrow().groups()).containsExactly("devs");

        assertThat(users.deleteUser("zoe")).isTrue();
        assertThat(users.deleteUser("zoe")).isFalse();
        assertThat(users.groupMembers("devs")).containsExactly("adam");

        assertThat(users.deleteGroup("devs")).isTrue();
        assertThat(users.deleteGroup("devs")).isFalse();
        assertThat(users.findUser("adam").orElseThrow().groups()).isEmpty();
    }

    // ---- permission targets

    @Test
    void permissionTargetsRoundTripAsTheyWereGiven() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        users.insertUser(new User(0, "alice", "h", null, false, false, Set.of(), 1, 1));
        users.upsertGroup(new Group("devs", null, 1, 1));
        users.upsertGroup(new Group("ops", null, 1, 1));
        PermissionTarget t = new PermissionTarget(
                "release",
                List.of("libs", "*"),
                List.of("com/acme/**"),
                List.of("**/*-SNAPSHOT/**"),
                Map.of("alice", EnumSet.of(Action.READ, Action.WRITE)),
                Map.of("devs", EnumSet.of(Action.READ)));

        assertThat(targets.save(t, 1)).isEqualTo(new PermissionTargetStore.Written(true));
        assertThat(targets.find("release")).contains(t);

        PermissionTarget changed = new PermissionTarget(
                "release", List.of("libs"), List.of(), List.of(), Map.of(), Map.of("ops", EnumSet.allOf(Action.class)));
        assertThat(targets.save(changed, 2)).isEqualTo(new PermissionTargetStore.Written(false));
        assertThat(targets.find("release")).contains(changed);

        targets.save(new PermissionTarget("Alpha", List.of("*"), List.of(), List.of(), Map.of(), Map.of()), 3);
        assertThat(targets.list()).extracting(PermissionTarget::name).containsExactly("Alpha", "release");
        assertThat(targets.delete("release")).isTrue();
        assertThat(targets.delete("release")).isFalse();
        assertThat(targets.find("release")).isEmpty();
    }

    // ---- files and properties

    @Test
    void upsertingAFileReturnsWhatItReplacedAndKeepsTheCreator() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        FileRecord first = file("libs", "com/acme/a.jar", "1");

        assertThat(artifacts.upsert(first, Map.of())).isEmpty();
        FileRecord second = new FileRecord("libs", first.path(), 99, sums("2"), 50, 60, "bob", "bob");
        assertThat(artifacts.upsert(second, Map.of())).contains(first);

        FileRecord stored = artifacts.find("libs", first.path()).orElseThrow();
        assertThat(stored.size()).isEqualTo(99);
        assertThat(stored.checksums()).isEqualTo(sums("2"));
        assertThat(stored.createdAt()).isEqualTo(first.createdAt());
        assertThat(stored.createdBy()).isEqualTo(first.createdBy());
        assertThat(stored.updatedAt()).isEqualTo(60);
        assertThat(stored.modifiedBy()).isEqualTo("bob");
    }

    @Test
    void aFileInAMissingRepositoryIsAConflict() {
        CofferException e = catchThrowableOfType(
                CofferException.class, () -> artifacts.upsert(file("ghost", "a.jar", "1"), Map.of()));

        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.Conflict.class);
    }

    @Test
    void belowAFolderMeansWholeSegmentsCaseSensitivelyInCodePointOrder() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        repositories.upsert(new Repository("other", null, false, 1, 1));
        for (String p : List.of(
                "com/acme/b.jar",
                "com/acme/A.jar",
                "com/acme/sub/c.jar",
                "com/acmecorp/x.jar",
                "com/ACME/y.jar",
                "com/acme",
                "com/acme-tools/z.jar",
                "com/äcme/u.jar",
                "com/acme/ü.jar")) {
            artifacts.upsert(file("libs", p, "1"), Map.of());
        }
        artifacts.upsert(file("other", "com/acme/o.jar", "1"), Map.of());

        assertThat(artifacts.listBelow("libs", ArtifactPath.of("com/acme")))
                .extracting(f -> f.path().toString())
                .containsExactly("com/acme/A.jar", "com/acme/b.jar", "com/acme/sub/c.jar", "com/acme/ü.jar");
        assertThat(artifacts.listBelow("libs", ArtifactPath.of("com/äcme")))
                .extracting(f -> f.path().toString())
                .containsExactly("com/äcme/u.jar");
        assertThat(artifacts.listBelow("libs", ArtifactPath.ROOT)).hasSize(9);
        assertThat(artifacts.listBelow("libs", ArtifactPath.ROOT))
                .extracting(f -> f.path().toString())
                .isSortedAccordingTo(String::compareTo);
        assertThat(artifacts.hasFilesBelow("libs", ArtifactPath.of("com/acme"))).isTrue();
        assertThat(artifacts.hasFilesBelow("libs", ArtifactPath.of("com/acm"))).isFalse();
        assertThat(artifacts.hasFilesBelow("libs", ArtifactPath.of("com/acme/b.jar")))
                .isFalse();
        assertThat(artifacts.hasFilesBelow("libs", ArtifactPath.ROOT)).isTrue();
        assertThat(artifacts.hasFilesBelow("empty", ArtifactPath.ROOT)).isFalse();
    }

    @Test
    void deletingASubtreeReturnsAndRemovesTheFileAndEverythingBelowIt() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        for (String p : List.of("a/b", "a/b/c.jar", "a/b/d/e.jar", "a/bc.jar")) {
            artifacts.upsert(file("libs", p, "1"), Map.of("k", List.of(p)));
        }

        assertThat(artifacts.deleteSubtree("libs", ArtifactPath.of("a/b")))
                .extracting(f -> f.path().toString())
                .containsExactlyInAnyOrder("a/b", "a/b/c.jar", "a/b/d/e.jar");
        assertThat(artifacts.listBelow("libs", ArtifactPath.ROOT))
                .extracting(f -> f.path().toString())
                .containsExactly("a/bc.jar");
        assertThat(artifacts.properties("libs", ArtifactPath.of("a/b/c.jar"))).isEmpty();
        assertThat(artifacts.properties("libs", ArtifactPath.of("a/bc.jar"))).containsEntry("k", List.of("a/bc.jar"));
        assertThat(artifacts.deleteSubtree("libs", ArtifactPath.of("a/b"))).isEmpty();
    }

    @Test
    void propertiesAreReplacedByNameAndFoundByValue() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        ArtifactPath p = ArtifactPath.of("a.jar");
        artifacts.upsert(
                file("libs", "a.jar", "1"), Map.of("build.name", List.of("app"), "tag", List.of("b", "a", "b")));
        artifacts.upsert(file("libs", "b.jar", "2"), Map.of("build.name", List.of("app"), "tag", List.of("c")));

        assertThat(artifacts.properties("libs", p))
                .isEqualTo(Map.of("build.name", List.of("app"), "tag", List.of("a", "b")));
        artifacts.setProperties("libs", p, Map.of("tag", List.of("z")));
        assertThat(artifacts.properties("libs", p))
                .isEqualTo(Map.of("build.name", List.of("app"), "tag", List.of("z")));
        assertThat(artifacts.findByProperties(Map.of("build.name", "app")))
                .extracting(f -> f.path().toString())
                .containsExactly("a.jar", "b.jar");
        assertThat(artifacts.findByProperties(Map.of("build.name", "app", "tag", "c")))
                .extracting(f -> f.path().toString())
                .containsExactly("b.jar");
        assertThat(artifacts.findByProperties(Map.of("build.name", "APP"))).isEmpty();
        assertThat(artifacts.findByProperties(Map.of())).isEmpty();

        artifacts.deleteProperties("libs", p, Set.of("tag", "missing"));
        assertThat(artifacts.properties("libs", p)).isEqualTo(Map.of("build.name", List.of("app")));
    }

    @Test
    void aBlobIsReferencedWhileAnyFileNamesIt() {
        repositories.upsert(new Repository("libs", null, false, 1, 1));
        artifacts.upsert(file("libs", "a.jar", "1"), Map.of());
        artifacts.upsert(file("libs", "b.jar", "1"), Map.of());
        String sha = sums("1").sha256();

        assertThat(artifacts.isReferenced(sha)).isTrue();
        artifacts.deleteSubtree("libs", ArtifactPath.of("a.jar"));
        assertThat(artifacts.isReferenced(sha)).isTrue();
        artifacts.deleteSubtree("libs", ArtifactPath.of("b.jar"));
        assertThat(artifacts.isReferenced(sha)).isFalse();
    }

    // ---- keys and tokens

    @Test
    void everyKindOfCredentialRoundTripsWithNullableTimes() {
        long uid = users.insertUser(new User(0, "fay", "h", null, false, false, Set.of(), 1, 1))
                .id();
        StoredCredential key = new StoredCredential(
                SecretKind.ACCESS_KEY,
                "k1",
                uid,
                hash('a'),
                null,
                "applied-permissions/user",
                "laptop",
                null,
                10,
                null,
                null,
                null);
        StoredCredential session = new StoredCredential(
                SecretKind.SESSION_TOKEN,
                "s1",
                uid,
                hash('b'),
                null,
                "applied-permissions/user",
                "",
                null,
                11,
                99_999L,
                null,
                null);
        StoredCredential token = new StoredCredential(
                SecretKind.ACCESS_TOKEN,
                "t1",
                uid,
                hash('c'),
                hash('d'),
                "applied-permissions/user",
                "ci",
                "admin",
                12,
                50_000L,
                null,
                null);

        credentials.insert(key);
        credentials.insert(session);
        credentials.insert(token);

        assertThat(credentials.findByHash(SecretKind.ACCESS_KEY, hash('a'))).contains(key);
        assertThat(credentials.findById(SecretKind.SESSION_TOKEN, "s1")).contains(session);
        assertThat(credentials.findByHash(SecretKind.ACCESS_TOKEN, hash('c'))).contains(token);
        assertThat(credentials.findByRefreshHash(hash('d'))).contains(token);
        assertThat(credentials.findByHash(SecretKind.ACCESS_KEY, hash('c'))).isEmpty();
        assertThat(credentials.findByRefreshHash(hash('c'))).isEmpty();
    }

    @Test
    void credentialsAreListedReplacedRecordedAndDeleted() {
        long u1 = users.insertUser(new User(0, "gus", "h", null, false, false, Set.of(), 1, 1))
                .id();
        long u2 = users.insertUser(new User(0, "hal", "h", null, false, false, Set.of(), 1, 1))
                .id();
        credentials.insert(accessKey("k2", u1, 'a', 20));
        credentials.insert(accessKey("k1", u1, 'b', 20));
        credentials.insert(accessKey("k0", u1, 'c', 30));
        credentials.insert(accessKey("k9", u2, 'd', 5));

        assertThat(credentials.list(SecretKind.ACCESS_KEY, u1))
                .extracting(StoredCredential::id)
                .containsExactly("k1", "k2", "k0");
        assertThat(credentials.list(SecretKind.ACCESS_KEY, null))
                .extracting(StoredCredential::id)
                .containsExactly("k9", "k1", "k2", "k0");

        credentials.recordUses(List.of(new CredentialStore.Use(SecretKind.ACCESS_KEY, "k1", 777, "10.0.0.1")));
        StoredCredential used =
                credentials.findById(SecretKind.ACCESS_KEY, "k1").orElseThrow();
        assertThat(used.lastUsedAt()).isEqualTo(777L);
        assertThat(used.lastUsedIp()).isEqualTo("10.0.0.1");

        assertThat(credentials.replace(used, accessKey("k1b", u1, 'e', 40))).isTrue();
        assertThat(credentials.replace(used, accessKey("k1c", u1, 'f', 40))).isFalse();
        assertThat(credentials.findById(SecretKind.ACCESS_KEY, "k1c")).isEmpty();
        assertThat(credentials.findByHash(SecretKind.ACCESS_KEY, hash('e'))).isPresent();

        assertThat(credentials.delete(SecretKind.ACCESS_KEY, "k9")).isTrue();
        assertThat(credentials.delete(SecretKind.ACCESS_KEY, "k9")).isFalse();
        assertThat(credentials.deleteAllOf(SecretKind.ACCESS_KEY, u1))
                .extracting(StoredCredential::id)
                .containsExactlyInAnyOrder("k2", "k0", "k1b");
        assertThat(credentials.list(SecretKind.ACCESS_KEY, null)).isEmpty();
    }

    @Test
    void aDuplicateSecretHashIsAConflictAndDeletingTheUserDeletesItsCredentials() {
        long uid = users.insertUser(new User(0, "ivy", "h", null, false, false, Set.of(), 1, 1))
                .id();
        credentials.insert(accessKey("k1", uid, 'a', 1));

        CofferException e =
                catchThrowableOfType(CofferException.class, () -> credentials.insert(accessKey("k2", uid, 'a', 2)));
        assertThat(e).isNotNull();
        assertThat(e.failure()).isInstanceOf(Failure.Conflict.class);

        users.deleteUser("ivy");
        assertThat(credentials.list(SecretKind.ACCESS_KEY, null)).isEmpty();
    }

    // ---- audit

    @Test
    void anAuditBatchIsStoredExactlyAndInOrderWhateverItsStringsHold() {
        // a batch of one row per event: every string and null comes back unchanged, ids in list order
        String[] hostile = {
            "plain",
            "quote \" and back\\slash",
            "new\nline\r\ttab",
            "\u0001\u001f\u007f",
            "line\u2028sep\u2029",
            "ünïcødé ✓ 😀",
            "[1,2]",
            "{\"a\":null}",
            "null",
            "",
            " ",
            "'; DROP TABLE x; --",
            "\\u0041",
            "/libs/a b/c%20d"
        };
        List<AuditEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String s = hostile[i % hostile.length];
            String maybe = i % 3 == 0 ? null : s;
            batch.add(new AuditEvent(
                    Long.MAX_VALUE / 2 + i,
                    maybe,
                    "access-token",
                    "at-" + i,
                    "artifact.read",
                    maybe,
                    s,
                    AuditEvent.ALLOWED,
                    200 + i % 5,
                    maybe,
                    s));
        }
        audit.insert(batch);
        audit.insert(List.of(batch.get(1)));
        List<StoredEvent> back = new java.util.ArrayList<>();
        Long before = null;
        while (true) {
            List<StoredEvent> page = audit.search(new AuditQuery(null, null, null, null, before, 1000));
            if (page.isEmpty()) {
                break;
            }
            back.addAll(page);
            before = page.get(page.size() - 1).id();
        }
        java.util.Collections.reverse(back);
        List<AuditEvent> expected = new java.util.ArrayList<>(batch);
        expected.add(batch.get(1));
        assertThat(back).extracting(StoredEvent::event).containsExactlyElementsOf(expected);
        assertThat(back).extracting(StoredEvent::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anAuditEventKeepsItsChangeOfSettingsExactly() throws Exception {
        // the before and after values of an exposure change (API.md section 3), whatever text they hold
        String change = new dev.coffer.audit.AuditChange()
                .field("anonymousRead", false, true)
                .field("description", "quote \" back\\slash\nline \u0001 \u2028 ünï 😀 '; DROP TABLE x; --", null)
                .field("members", List.of("a", "{\"b\":1}"), List.of())
                .json();
        AuditEvent changed = new AuditEvent(
                1_000,
                "alice",
                "password",
                null,
                "repository.update",
                "libs",
                null,
                AuditEvent.SUCCESS,
                200,
                "127.0.0.1",
                "curl",
                change);
        AuditEvent plain = new AuditEvent(
                2_000,
                "alice",
                "password",
                null,
                "repository.update",
                "libs",
                null,
                AuditEvent.SUCCESS,
                200,
                "127.0.0.1",
                "curl");
        audit.insert(List.of(changed, plain));
        audit.insertReads(List.of(read(3_000, "alice", AuditEvent.ALLOWED, 1)));

        List<StoredEvent> back = audit.search(new AuditQuery(null, null, null, null, null, 10));

        assertThat(back)
                .extracting(StoredEvent::event)
                .containsExactly(read(3_000, "alice", AuditEvent.ALLOWED, 1), plain, changed);
        assertThat(back.get(2).event().change()).isEqualTo(change);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(change)
                        .path("anonymousRead")
                        .path("after")
                        .asBoolean())
                .isTrue();
        assertThat(back.get(0).event().change()).isNull();
        // a batch row of reads has no room for a change: refused rather than dropped
        AuditEvent odd = new AuditEvent(
                4_000, "alice", "password", null, "artifact.read", "libs", "a", "allowed", 200, null, null, change);
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> audit.insertReads(List.of(odd))))
                .isNotNull();
        assertThat(audit.search(new AuditQuery(null, null, null, null, null, 10)))
                .hasSize(3);
    }

    private static final String[] HOSTILE = {
        "plain",
        "quote \" and back\\slash",
        "new\nline\r\ttab",
        "\u0001\u001f\u007f",
        "line\u2028sep\u2029",
        "ünïcødé ✓ 😀",
        "[1,2]",
        "{\"a\":null}",
        "null",
        "",
        " ",
        "'; DROP TABLE x; --",
        "\\u0041",
        "/libs/a b/c%20d",
        "-1",
        "0"
    };

    private static AuditEvent read(long time, String user, String outcome, int i) {
        String s = HOSTILE[i % HOSTILE.length];
        String maybe = i % 3 == 0 ? null : s;
        return new AuditEvent(
                time,
                user,
                i % 4 == 0 ? null : "access-token",
                "at-" + (i % 7),
                i % 5 == 0 ? s : "artifact.read",
                maybe,
                s,
                outcome,
                200 + i % 5,
                maybe,
                HOSTILE[(i / 3) % HOSTILE.length]);
    }

    /** Every event the query finds, page by page through the before= cursor, newest first. */
    private List<StoredEvent> everything(Long since, Long until, String user, String outcome, int limit) {
        List<StoredEvent> all = new java.util.ArrayList<>();
        Long before = null;
        while (true) {
            List<StoredEvent> page = audit.search(new AuditQuery(since, until, user, outcome, before, limit));
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            all.addAll(page);
            if (page.size() < limit) {
                return all;
            }
            before = page.get(page.size() - 1).id();
        }
    }

    @Test
    void auditedReadsComeBackExactlyInTheirOrderPerUserAndOutcome() {
        // three users interleaved, one with more reads than a row holds, and a jump in time wider
        // than a row may span: every event comes back unchanged, each user's in queue order
        List<AuditEvent> reads = new java.util.ArrayList<>();
        long t = 1_000_000;
        for (int i = 0; i < 2600; i++) {
            t += i == 1500 ? 120_000 : i % 2;
            String user = i % 5 == 0 ? "bob" : i % 7 == 0 ? null : "alice";
            reads.add(read(t, user, i % 11 == 0 ? AuditEvent.DENIED : AuditEvent.ALLOWED, i));
        }
        audit.insertReads(reads.subList(0, 2000));
        audit.insert(List.of(reads.get(0)));
        audit.insertReads(reads.subList(2000, 2600));

        for (int limit : new int[] {1000, 7}) {
            List<StoredEvent> back = everything(null, null, null, null, limit);
            assertThat(back)
                    .extracting(StoredEvent::id)
                    .doesNotHaveDuplicates()
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder());
            List<AuditEvent> events = new java.util.ArrayList<>(
                    back.stream().map(StoredEvent::event).toList());
            java.util.Collections.reverse(events);
            List<AuditEvent> expected = new java.util.ArrayList<>(reads);
            expected.add(reads.get(0));
            assertThat(events).containsExactlyInAnyOrderElementsOf(expected);
            for (String user : java.util.Arrays.asList("alice", "bob", null)) {
                for (String outcome : List.of(AuditEvent.ALLOWED, AuditEvent.DENIED)) {
                    java.util.function.Predicate<AuditEvent> of = e ->
                            Objects.equals(e.username(), user) && e.outcome().equals(outcome);
                    List<AuditEvent> mine = new java.util.ArrayList<>(
                            reads.subList(0, 2000).stream().filter(of).toList());
                    if (of.test(reads.get(0))) {
                        mine.add(reads.get(0));
                    }
                    mine.addAll(reads.subList(2000, 2600).stream().filter(of).toList());
                    assertThat(events.stream().filter(of).toList())
                            .as("%s %s", user, outcome)
                            .containsExactlyElementsOf(mine);
                }
            }
        }
    }

    @Test
    void everyFilterFindsInRowsAndReadBatchesWhatAFilterOverEverythingFinds() {
        java.util.Random random = new java.util.Random(8);
        String[] users = {"alice", "bob", "carol", null};
        String[] outcomes = {AuditEvent.ALLOWED, AuditEvent.DENIED, AuditEvent.SUCCESS};
        List<AuditEvent> inserted = new java.util.ArrayList<>();
        long t = 5_000_000;
        for (int call = 0; call < 60; call++) {
            List<AuditEvent> batch = new java.util.ArrayList<>();
            int n = 1 + random.nextInt(call % 10 == 0 ? 900 : 40);
            for (int i = 0; i < n; i++) {
                // mostly close together, now and then further apart than a batch row may span
                t += random.nextInt(20) == 0 ? 30_000 + random.nextInt(40_000) : random.nextInt(50);
                batch.add(read(
                        t,
                        users[random.nextInt(users.length)],
                        outcomes[random.nextInt(outcomes.length)],
                        random.nextInt(1000)));
            }
            if (random.nextBoolean()) {
                audit.insertReads(batch);
            } else {
                audit.insert(batch);
            }
            inserted.addAll(batch);
        }
        List<StoredEvent> all = everything(null, null, null, null, 1000);
        assertThat(all).extracting(StoredEvent::event).containsExactlyInAnyOrderElementsOf(inserted);
        assertThat(all)
                .extracting(StoredEvent::id)
                .doesNotHaveDuplicates()
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        for (int q = 0; q < 60; q++) {
            long a = inserted.get(random.nextInt(inserted.size())).time() + random.nextInt(3) - 1;
            long b = inserted.get(random.nextInt(inserted.size())).time() + random.nextInt(3) - 1;
            Long since = random.nextInt(3) == 0 ? null : Math.min(a, b);
            Long until = random.nextInt(3) == 0 ? null : Math.max(a, b);
            String user = random.nextInt(3) == 0 ? null : users[random.nextInt(3)];
            String outcome = random.nextInt(2) == 0 ? null : outcomes[random.nextInt(outcomes.length)];
            int limit = 1 + random.nextInt(q % 4 == 0 ? 1000 : 40);
            List<StoredEvent> expected = all.stream()
                    .filter(s -> (since == null || s.event().time() >= since)
                            && (until == null || s.event().time() < until)
                            && (user == null || user.equals(s.event().username()))
                            && (outcome == null || outcome.equals(s.event().outcome())))
                    .toList();
            assertThat(everything(since, until, user, outcome, limit))
                    .as("since %s until %s user %s outcome %s limit %s", since, until, user, outcome, limit)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aReadBatchIsPurgedWhenItsNewestEventIsPastTheRetention() {
        List<AuditEvent> reads = new java.util.ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            reads.add(read(1000 + i, "alice", AuditEvent.ALLOWED, i));
        }
        audit.insertReads(reads);
        audit.insert(List.of(read(500, "bob", AuditEvent.DENIED, 1)));

        assertThat(audit.deleteBefore(1005)).isEqualTo(1);
        assertThat(everything(null, null, null, null, 100)).hasSize(11);
        assertThat(audit.deleteBefore(1011)).isEqualTo(11);
        assertThat(everything(null, null, null, null, 100)).isEmpty();
    }

    // ---- helpers

    protected static String hash(char c) {
        return String.valueOf(c).repeat(64);
    }

    private static StoredCredential accessKey(String id, long uid, char hash, long createdAt) {
        return new StoredCredential(
                SecretKind.ACCESS_KEY,
                id,
                uid,
                hash(hash),
                null,
                "applied-permissions/user",
                "d",
                null,
                createdAt,
                null,
                null,
                null);
    }

    protected static Checksums sums(String seed) {
        return new Checksums(
                seed.repeat(64).substring(0, 64),
                seed.repeat(40).substring(0, 40),
                seed.repeat(32).substring(0, 32));
    }

    protected static FileRecord file(String repo, String path, String seed) {
        return new FileRecord(repo, ArtifactPath.of(path), 3, sums(seed), 10, 20, "alice", "alice");
    }
}
