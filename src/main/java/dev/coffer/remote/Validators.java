package dev.coffer.remote;

/**
 * What the upstream said identifies the version it sent (its {@code ETag} and {@code
 * Last-Modified}), kept to ask it next time whether that version is still current. Values past
 * a sane length are not kept: they come from another server.
 */
public record Validators(String etag, String lastModified) {
    public static final Validators NONE = new Validators(null, null);
    static final int MAX_ETAG = 1024;
    static final int MAX_LAST_MODIFIED = 128;

    public Validators {
        etag = bounded(etag, MAX_ETAG);
        lastModified = bounded(lastModified, MAX_LAST_MODIFIED);
    }

    private static String bounded(String v, int max) {
        if (v == null) {
            return null;
        }
        String t = v.trim();
        return t.isEmpty() || t.length() > max || !t.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? null : t;
    }

    public boolean isEmpty() {
        return etag == null && lastModified == null;
    }
}
