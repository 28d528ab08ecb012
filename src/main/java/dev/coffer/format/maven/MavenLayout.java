package dev.coffer.format.maven;

import dev.coffer.common.ArtifactPath;
import java.util.Locale;
import java.util.Optional;

/**
 * What a path means in a Maven repository's layout ({@code groupId-as-folders/artifactId/version/file}):
 * which files are metadata, and the {@code groupId/artifactId} folder a path belongs to (the
 * namespace that a virtual repository's namespace protection keeps for its local members).
 */
public final class MavenLayout {
    public static final String METADATA = "maven-metadata.xml";

    /** The checksum files Maven clients fetch beside a file, with the JDK's digest name. */
    public enum ChecksumKind {
        MD5("md5", "MD5"),
        SHA1("sha1", "SHA-1"),
        SHA256("sha256", "SHA-256"),
        SHA512("sha512", "SHA-512");

        private final String extension;
        private final String algorithm;

        ChecksumKind(String extension, String algorithm) {
            this.extension = extension;
            this.algorithm = algorithm;
        }

        public String extension() {
            return extension;
        }

        /** The {@link java.security.MessageDigest} name. */
        public String algorithm() {
            return algorithm;
        }

        static Optional<ChecksumKind> ofExtension(String ext) {
            for (ChecksumKind k : values()) {
                if (k.extension.equals(ext)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    private MavenLayout() {}

    /** {@code …/maven-metadata.xml} itself. */
    public static boolean isMetadata(ArtifactPath path) {
        return path.depth() > 0 && path.name().equals(METADATA);
    }

    /** For {@code …/maven-metadata.xml.sha1} and its kin, which checksum; empty for any other path. */
    public static Optional<ChecksumKind> metadataChecksum(ArtifactPath path) {
        String name = path.name();
        if (path.depth() == 0 || !name.startsWith(METADATA + ".")) {
            return Optional.empty();
        }
        return ChecksumKind.ofExtension(name.substring(METADATA.length() + 1));
    }

    /** The metadata document that {@code path} is or is a checksum of; empty for any other path. */
    public static Optional<ArtifactPath> metadataDocument(ArtifactPath path) {
        if (isMetadata(path)) {
            return Optional.of(path);
        }
        return metadataChecksum(path).map(k -> path.parent().child(METADATA));
    }

    /**
     * The {@code groupId/artifactId} folder of a path: without the file name for G/A-level metadata
     * ({@code g/a/maven-metadata.xml}) and without the version folder and file name otherwise
     * ({@code g/a/1.0/a-1.0.jar}, {@code g/a/1.0-SNAPSHOT/maven-metadata.xml}). Empty for a path
     * too short to name coordinates (a file at the root or one folder down): member order alone
     * decides those.
     */
    public static Optional<ArtifactPath> namespace(ArtifactPath path) {
        if (path.depth() < 2) {
            return Optional.empty();
        }
        ArtifactPath folder = path.parent();
        ArtifactPath ns;
        if (metadataDocument(path).isPresent()) {
            // version-level metadata exists only in snapshot version folders
            ns = isSnapshotVersion(folder.name()) && folder.depth() >= 3 ? folder.parent() : folder;
        } else {
            ns = folder.parent();
        }
        return ns.depth() >= 2 ? Optional.of(ns) : Optional.empty();
    }

    public static boolean isSnapshotVersion(String version) {
        return version.toUpperCase(Locale.ROOT).endsWith("-SNAPSHOT");
    }
}
