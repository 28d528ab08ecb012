package dev.coffer.remote;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.BlobLocks;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.fs.FsBlobStore;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.common.Invalidation;
import dev.coffer.persistence.Database;
import dev.coffer.persistence.Jdbc;
import dev.coffer.persistence.JdbcArtifactStore;
import dev.coffer.persistence.JdbcRemoteCacheStore;
import dev.coffer.persistence.JdbcRepositoryStore;
import dev.coffer.repository.PackageType;
import dev.coffer.repository.PathFilter;
import dev.coffer.repository.RemoteSettings;
import dev.coffer.repository.Repository;
import dev.coffer.repository.RepositoryClass;
import dev.coffer.testing.Folders;
import dev.coffer.testing.MutableClock;
import dev.coffer.testing.UpstreamServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Remote repositories' reads on real parts: an SQLite database, a file store, the artifact
 * service, the JDK client, and an {@link UpstreamServer} on 127.0.0.1. Repositories are records
 * made here (their rows exist for the files' foreign key).
 */
final class RemoteHarness implements AutoCloseable {
    final UpstreamServer upstream = UpstreamServer.start();
    final MutableClock clock = new MutableClock();
    final Invalidation invalidation = new Invalidation();
    final Path dir;
    final Database db;
    final BlobStore blobs;
    final ArtifactService artifacts;
    final JdbcRemoteCacheStore states;
    final JdbcRepositoryStore repositories;
    final RemoteRepositories remote;

    RemoteHarness() {
        try {
            dir = Files.createTempDirectory("coffer-remote");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = Database.sqlite(dir.resolve("coffer.db"));
        Jdbc jdbc = new Jdbc(db.dataSource());
        blobs = new FsBlobStore(dir.resolve("store"));
        artifacts =
                new ArtifactService(new JdbcArtifactStore(jdbc), blobs, Clock.SYSTEM, BlobLocks.local(), invalidation);
        states = new JdbcRemoteCacheStore(jdbc);
        repositories = new JdbcRepositoryStore(jdbc);
        UpstreamClient client = new UpstreamClient(
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), r -> Optional.empty());
        remote = new RemoteRepositories(artifacts, states, client, clock, Duration.ofSeconds(60), invalidation);
    }

    /** A remote Maven repository of the upstream, cacheSeconds 600, every path. */
    Repository maven(String name) {
        return remote(name, PackageType.MAVEN, PathFilter.ALL, settings(600, false));
    }

    RemoteSettings settings(long cacheSeconds, boolean offline) {
        return new RemoteSettings(URI.create(upstream.url()), null, null, cacheSeconds, offline);
    }

    Repository remote(String name, PackageType type, PathFilter filter, RemoteSettings settings) {
        Repository r = new Repository(name, "", false, type, RepositoryClass.REMOTE, filter, settings, null, 1, 1);
        repositories.upsert(r);
        return r;
    }

    /** A read without a client response to stream to (stored first). */
    RemoteRepositories.Read read(Repository repo, String path) {
        return remote.read(repo, ArtifactPath.of(path), null, "alice");
    }

    byte[] cached(Repository repo, String path) {
        var file = artifacts.find(repo.name(), ArtifactPath.of(path)).orElseThrow();
        try (InputStream in = artifacts.open(file).openStream(0, file.size())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isCached(Repository repo, String path) {
        return artifacts.find(repo.name(), ArtifactPath.of(path)).isPresent();
    }

    /** A client response that keeps what it is sent. */
    static final class Capture implements Delivery {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long announcedSize = -2;
        String announcedSha1;
        Throwable aborted;
        /** The file {@link #cached} was told of, and how many bytes the client had by then. */
        dev.coffer.artifact.FileRecord cachedFile;

        long sentWhenCached = -1;

        @Override
        public OutputStream begin(long size, String sha1) {
            announcedSize = size;
            announcedSha1 = sha1;
            return bytes;
        }

        @Override
        public void cached(dev.coffer.artifact.FileRecord file) {
            cachedFile = file;
            sentWhenCached = bytes.size();
        }

        @Override
        public void abort(Throwable cause) {
            aborted = cause;
        }
    }

    @Override
    public void close() {
        remote.close();
        upstream.close();
        db.close();
        blobs.close();
        Folders.delete(dir);
    }
}
