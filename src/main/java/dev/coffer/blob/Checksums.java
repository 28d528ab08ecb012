package dev.coffer.blob;

import java.util.Objects;

/** The three digests of a blob's bytes, as lower-case hex (the forms Maven and Artifactory use). */
public record Checksums(String sha256, String sha1, String md5) {
    public Checksums {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(sha1, "sha1");
        Objects.requireNonNull(md5, "md5");
    }
}
