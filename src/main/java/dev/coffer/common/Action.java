package dev.coffer.common;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The seed set of actions, one letter each (API.md §3). */
public enum Action {
    READ('r'),
    WRITE('w'),
    DELETE('d'),
    ANNOTATE('a'),
    MANAGE('m'),
    EXECUTE('x'),
    SYNC('s');

    private static final Set<Action> ALL = Collections.unmodifiableSet(EnumSet.allOf(Action.class));

    private final char letter;

    Action(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    public static Set<Action> all() {
        return ALL;
    }

    /** @throws IllegalArgumentException for anything but one of {@code r w d a m x s} */
    public static Action fromLetter(String s) {
        if (s != null && s.length() == 1) {
            for (Action a : values()) {
                if (a.letter == s.charAt(0)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("unknown action '" + s + "' (expected one of r w d a m x s)");
    }

    /** Letters in canonical order, e.g. "rw". */
    public static String letters(Set<Action> actions) {
        StringBuilder sb = new StringBuilder();
        for (Action a : values()) {
            if (actions.contains(a)) {
                sb.append(a.letter);
            }
        }
        return sb.toString();
    }
}
