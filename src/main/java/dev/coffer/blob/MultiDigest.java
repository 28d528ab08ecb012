package dev.coffer.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * SHA-256, SHA-1 and MD5 fed from the same buffer, so an upload is read exactly once. Not
 * thread-safe; one instance per upload.
 *
 * <p>Hashing is what bounds a large upload (three digests cost about three times one), so past
 * the first {@link #PARALLEL_AFTER} bytes the work moves off the reading thread onto two lanes, MD5
 * on one and SHA-256 + SHA-1 on the other (about equal cost), which run while the next chunk is
 * read and written. Each chunk is copied once (far cheaper than hashing it); at most
 * {@link #IN_FLIGHT} chunks wait, so memory stays bounded and a slow hasher slows the reader.
 * Small files, most of a Maven build, never leave the reading thread.
 */
public final class MultiDigest {
    static final long PARALLEL_AFTER = 1024 * 1024;
    static final int IN_FLIGHT = 8;
    // Shared by all uploads: CPU-bound work, so about one thread per core is all that helps.
    private static final ExecutorService HASHERS =
            Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "coffer-hash");
                t.setDaemon(true);
                return t;
            });

    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest md5 = digest("MD5");
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private long inline;
    private CompletableFuture<Void> md5Lane = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> shaLane = CompletableFuture.completedFuture(null);

    public void update(byte[] buf, int off, int len) {
        if (inline < PARALLEL_AFTER) {
            inline += len;
            sha256.update(buf, off, len);
            sha1.update(buf, off, len);
            md5.update(buf, off, len);
            return;
        }
        byte[] chunk = java.util.Arrays.copyOfRange(buf, off, off + len);
        slots.acquireUninterruptibly();
        // each lane is a chain, so its digests see the chunks in order
        CompletableFuture<Void> a = md5Lane.thenRunAsync(() -> md5.update(chunk), HASHERS);
        CompletableFuture<Void> b = shaLane.thenRunAsync(
                () -> {
                    sha256.update(chunk);
                    sha1.update(chunk);
                },
                HASHERS);
        md5Lane = a;
        shaLane = b;
        CompletableFuture.allOf(a, b).whenComplete((v, e) -> slots.release());
    }

    /** Completes the digests; the instance must not be used afterwards. */
    public Checksums finish() {
        try {
            CompletableFuture.allOf(md5Lane, shaLane).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
        HexFormat hex = HexFormat.of(); // lower-case by default
        return new Checksums(hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform is required to provide all three.
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
