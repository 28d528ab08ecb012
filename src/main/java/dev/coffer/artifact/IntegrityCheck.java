package dev.coffer.artifact;

import dev.coffer.blob.BlobHandle;
import dev.coffer.blob.BlobStore;
import dev.coffer.blob.Checksums;
import dev.coffer.blob.MultiDigest;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.CofferException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Re-hashes every file's blob and compares size and all three checksums with the metadata (bit
 * rot, manual tampering, a lost blob). Run by {@code coffer verify} and after a restore, never by
 * the server: it reads every byte.
 */
final class IntegrityCheck {
    private final ArtifactStore store;
    private final BlobStore blobs;

    IntegrityCheck(ArtifactStore store, BlobStore blobs) {
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
    }

    /** Reports each mismatch to {@code problems}; returns how many files were checked. */
    long verify(List<String> repositories, Consumer<IntegrityProblem> problems) {
        long checked = 0;
        byte[] buf = new byte[128 * 1024];
        for (String repo : repositories) {
            for (FileRecord f : store.listBelow(repo, ArtifactPath.ROOT)) {
                checked++;
                String path = f.path().toString();
                try {
                    BlobHandle blob = blobs.open(f.checksums().sha256());
                    if (blob.size() != f.size()) {
                        problems.accept(new IntegrityProblem(
                                repo, path, "size is " + blob.size() + ", metadata says " + f.size()));
                        continue;
                    }
                    MultiDigest digest = new MultiDigest();
                    try (InputStream in = blob.openStream(0, blob.size())) {
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            digest.update(buf, 0, n);
                        }
                    }
                    Checksums actual = digest.finish();
                    if (!actual.equals(f.checksums())) {
                        problems.accept(new IntegrityProblem(
                                repo,
                                path,
                                "content hashes to sha256 " + actual.sha256() + ", metadata says "
                                        + f.checksums().sha256()));
                    }
                } catch (CofferException e) {
                    problems.accept(new IntegrityProblem(repo, path, e.getMessage()));
                } catch (IOException e) {
                    problems.accept(new IntegrityProblem(repo, path, "cannot read the blob: " + e.getMessage()));
                }
            }
        }
        return checked;
    }
}
