package dev.coffer.remote;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.artifact.FileRecord;
import dev.coffer.blob.UploadInterruptedException;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import dev.coffer.repository.Repository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one file from a remote repository's upstream into its cache, all or nothing, through the
 * artifact service's own upload (staged, checked, then placed): a file checked against the
 * upstream's {@code .sha1} that does not match it is never stored. A small file of known size is
 * stored first and then served from the cache; any other is sent to the client while it is stored
 * ({@link HeldBackTee}).
 */
final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    /** Up to this size (when the upstream says it) a file is stored before it is served. */
    static final long STORE_FIRST_MAX = 4L * 1024 * 1024;

    private static final int MAX_CHECKSUM_FILE = 1024;

    /** What one fetch came to. */
    sealed interface Result {
        /** Stored in the cache; {@code streamed}: already sent to the client while it was stored. */
        record Stored(FileRecord file, boolean streamed) implements Result {}

        /** The upstream confirmed the cached version (304). */
        record Unchanged() implements Result {}

        /** The upstream does not have it. */
        record Absent() implements Result {}

        /** The upstream could not be asked, or broke off. */
        record Unavailable(String reason) implements Result {}
    }

    private final UpstreamClient upstream;
    private final ArtifactService artifacts;
    private final CacheStateStore states;
    private final RemotePaths paths;
    private final Clock clock;

    Fetcher(
            UpstreamClient upstream,
            ArtifactService artifacts,
            CacheStateStore states,
            RemotePaths paths,
            Clock clock) {
        this.upstream = Objects.requireNonNull(upstream);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.states = Objects.requireNonNull(states);
        this.paths = Objects.requireNonNull(paths);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * @param ifChanged validators of the cached version (a revalidation), or {@link Validators#NONE}
     * @param delivery the client's response, to stream a large file to; null: store first
     * @throws CofferException 502 {@code upstream_checksum_mismatch}, or a storage failure
     */
    Result fetch(Repository repo, ArtifactPath path, Validators ifChanged, Delivery delivery, String username) {
        ArtifactPath sumPath = null;
        byte[] sumFile = null;
        String expected = null;
        if (RemotePaths.isVerified(path)) {
            sumPath = checksumPath(path);
            if (sumPath != null) {
                UpstreamAnswer a = upstream.get(repo, sumPath, Validators.NONE);
                if (a instanceof UpstreamAnswer.Found f) {
                    try (f) {
                        sumFile = f.body().readNBytes(MAX_CHECKSUM_FILE + 1);
                    } catch (IOException e) {
                        return new Result.Unavailable("reading the upstream's checksum file failed: " + e.getMessage());
                    }
                    expected = sha1Of(sumFile, sumPath);
                } else if (a instanceof UpstreamAnswer.Failed failed) {
                    return new Result.Unavailable(failed.reason());
                } else if (a instanceof UpstreamAnswer.NotModified) {
                    return new Result.Unavailable("the upstream answered 304 to an unconditional request");
                }
                // Absent: the upstream has no checksum; the file is cached with Coffer's own
            }
        }
        UpstreamAnswer answer = upstream.get(repo, path, ifChanged);
        if (!(answer instanceof UpstreamAnswer.Found found)) {
            return unsuccessful(answer);
        }
        Result stored = store(repo, path, found, expected, delivery, username);
        if (stored instanceof Result.Stored && sumFile != null && paths.within(repo, sumPath)) {
            keepChecksum(repo, sumPath, sumFile, username);
        }
        return stored;
    }

    /** What an upstream answer other than {@code Found} makes of a fetch. */
    private static Result unsuccessful(UpstreamAnswer answer) {
        if (answer instanceof UpstreamAnswer.NotModified) {
            return new Result.Unchanged();
        } else if (answer instanceof UpstreamAnswer.Absent) {
            return new Result.Absent();
        } else if (answer instanceof UpstreamAnswer.Failed failed) {
            return new Result.Unavailable(failed.reason());
        }
        throw new IllegalArgumentException("not an unsuccessful answer: " + answer);
    }

    /**
     * Fetches {@code path} from where {@code origin} says (not {@code {url}/{path}}), stored before
     * it is served, and, when the origin names an integrity, only if the bytes digest to it.
     *
     * @throws CofferException 502 {@code upstream_checksum_mismatch}, or a storage failure
     */
    Result fetchFrom(Repository repo, ArtifactPath path, Origin origin, Validators ifChanged, String username) {
        UpstreamAnswer answer = upstream.get(repo, origin.uri(), true, ifChanged, origin.accept());
        if (!(answer instanceof UpstreamAnswer.Found found)) {
            return unsuccessful(answer);
        }
        if (origin.integrity() == null) {
            return store(repo, path, found, null, null, username);
        }
        UpstreamAnswer.Found checked =
                new UpstreamAnswer.Found(origin.integrity().verifying(found.body()), found.size(), found.validators());
        try {
            return store(repo, path, checked, null, null, username);
        } catch (MismatchSeen e) {
            throw new CofferException(new Failure.BadGateway(
                    "upstream_checksum_mismatch",
                    "the upstream's '" + path + "' does not match the "
                            + origin.integrity().described() + "; nothing was cached"));
        }
    }

    /** Carries an {@link Integrity.Mismatch} out of {@link #store}, which sees it as a broken-off read. */
    private static final class MismatchSeen extends RuntimeException {
        MismatchSeen(Throwable cause) {
            super(cause);
        }
    }

    private Result store(
            Repository repo,
            ArtifactPath path,
            UpstreamAnswer.Found found,
            String expectedSha1,
            Delivery delivery,
            String username) {
        boolean stream = delivery != null && (found.size() < 0 || found.size() > STORE_FIRST_MAX);
        HeldBackTee tee = stream ? new HeldBackTee(found.body(), delivery, found.size(), expectedSha1) : null;
        try (found) {
            ArtifactService.Uploaded up = artifacts.upload(new ArtifactService.Upload(
                    repo.name(),
                    path,
                    tee != null ? tee : found.body(),
                    new ArtifactService.Expected(null, expectedSha1, null),
                    Map.of(),
                    true,
                    username,
                    -1));
            long now = clock.millis();
            states.save(new CacheState(repo.name(), path, now, now, found.validators()));
            if (tee != null) {
                tee.finish(up.file());
            }
            return new Result.Stored(up.file(), tee != null);
        } catch (UploadInterruptedException e) {
            abort(tee, delivery, e);
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof Integrity.Mismatch) {
                    throw new MismatchSeen(c);
                }
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Result.Unavailable("the upstream's answer broke off (" + cause.getMessage() + ")");
        } catch (CofferException e) {
            abort(tee, delivery, e);
            if ("checksum_mismatch".equals(e.failure().code())) {
                throw new CofferException(new Failure.BadGateway(
                        "upstream_checksum_mismatch",
                        "the upstream's '" + path + "' does not match the upstream's own SHA-1 checksum of it; "
                                + "nothing was cached"));
            }
            throw e;
        } catch (RuntimeException | Error e) {
            abort(tee, delivery, e);
            throw e;
        }
    }

    private static void abort(HeldBackTee tee, Delivery delivery, Throwable cause) {
        if (tee != null && tee.started()) {
            delivery.abort(cause);
        }
    }

    /** The upstream's checksum file is cached with the file it belongs to: Maven asks for it next. */
    private void keepChecksum(Repository repo, ArtifactPath sumPath, byte[] content, String username) {
        try {
            artifacts.upload(new ArtifactService.Upload(
                    repo.name(),
                    sumPath,
                    new ByteArrayInputStream(content),
                    ArtifactService.Expected.NONE,
                    Map.of(),
                    true,
                    username,
                    -1));
            long now = clock.millis();
            states.save(new CacheState(repo.name(), sumPath, now, now, Validators.NONE));
        } catch (RuntimeException e) {
            // it is fetched on its own when asked for
            LOG.debug("caching {} of {} failed: {}", sumPath, repo.name(), e.getMessage());
        }
    }

    private static ArtifactPath checksumPath(ArtifactPath path) {
        try {
            return path.parent().child(path.name() + ".sha1");
        } catch (CofferException e) {
            return null; // too long a name to have a checksum file here
        }
    }

    /**
     * The SHA-1 in a checksum file: its first word, 40 hexadecimal digits (Maven also writes
     * "digest  file-name"). Anything else is a wrong checksum, not a missing one.
     */
    static String sha1Of(byte[] content, ArtifactPath where) {
        String text = content.length > MAX_CHECKSUM_FILE
                ? ""
                : new String(content, java.nio.charset.StandardCharsets.US_ASCII).trim();
        String first = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        if (first.length() != 40 || !first.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new CofferException(new Failure.BadGateway(
                    "upstream_checksum_mismatch",
                    "the upstream's checksum file '" + where + "' does not hold a SHA-1; nothing was cached"));
        }
        return first;
    }
}
