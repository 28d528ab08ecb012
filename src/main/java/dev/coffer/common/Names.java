package dev.coffer.common;

/**
 * Names of repositories, users, groups: 1-64 characters of ASCII letters, digits and a few marks,
 * starting with a letter or digit. Checked on every request, so by a loop instead of a regex.
 */
public final class Names {
    private Names() {}

    /** {@code [A-Za-z0-9][A-Za-z0-9<marks>]{0,63}} */
    public static boolean valid(String name, String marks) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || marks.indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }
}
