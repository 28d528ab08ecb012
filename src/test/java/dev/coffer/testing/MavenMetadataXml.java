package dev.coffer.testing;

/** maven-metadata.xml documents as Maven writes them, for tests. */
public final class MavenMetadataXml {
    private MavenMetadataXml() {}

    /** G/A-level metadata of {@code groupId:artifactId}; {@code latest}/{@code release} left out when null. */
    public static String of(
            String groupId, String artifactId, String lastUpdated, String latest, String release, String... versions) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata>\n"
                + "  <groupId>" + groupId + "</groupId>\n  <artifactId>" + artifactId + "</artifactId>\n"
                + "  <versioning>\n");
        if (latest != null) {
            sb.append("    <latest>").append(latest).append("</latest>\n");
        }
        if (release != null) {
            sb.append("    <release>").append(release).append("</release>\n");
        }
        sb.append("    <versions>\n");
        for (String v : versions) {
            sb.append("      <version>").append(v).append("</version>\n");
        }
        sb.append("    </versions>\n    <lastUpdated>")
                .append(lastUpdated)
                .append("</lastUpdated>\n  </versioning>\n</metadata>\n");
        return sb.toString();
    }

    /** G/A-level metadata of com.acme:lib. */
    public static String ga(String lastUpdated, String latest, String release, String... versions) {
        return of("com.acme", "lib", lastUpdated, latest, release, versions);
    }

    /** Version-level metadata of com.acme:lib:1.0-SNAPSHOT with one jar. */
    public static String snapshot(String timestamp, int build, String updated, String jarValue) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata modelVersion=\"1.1.0\">\n"
                + "  <groupId>com.acme</groupId>\n  <artifactId>lib</artifactId>\n  <version>1.0-SNAPSHOT</version>\n"
                + "  <versioning>\n    <snapshot>\n      <timestamp>" + timestamp + "</timestamp>\n"
                + "      <buildNumber>" + build + "</buildNumber>\n    </snapshot>\n"
                + "    <lastUpdated>" + updated + "</lastUpdated>\n    <snapshotVersions>\n"
                + "      <snapshotVersion>\n        <extension>jar</extension>\n        <value>" + jarValue
                + "</value>\n        <updated>" + updated + "</updated>\n      </snapshotVersion>\n"
                + "    </snapshotVersions>\n  </versioning>\n</metadata>\n";
    }
}
