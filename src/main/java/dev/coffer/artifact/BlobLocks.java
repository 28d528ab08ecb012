package dev.coffer.artifact;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes "is this blob still referenced? then delete it" and "the blob is there, now reference it"
 * exclusive for one blob, so a cleanup can never delete content that an upload is about to refer
 * to. One node needs only in-memory locks; nodes sharing a database lock through it.
 */
public interface BlobLocks {
    <T> T locked(String sha256, Supplier<T> work);

    /** Striped in-memory locks: enough when this process is the only writer. */
    static BlobLocks local() {
        ReentrantLock[] stripes = new ReentrantLock[64];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        return new BlobLocks() {
            @Override
            public <T> T locked(String sha256, Supplier<T> work) {
                ReentrantLock lock = stripes[Math.floorMod(sha256.hashCode(), stripes.length)];
                lock.lock();
                try {
                    return work.get();
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
