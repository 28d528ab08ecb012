package dev.coffer.virtual;

/**
 * A remote member's answer could not be decided from its cache ({@link CachedOnly}); thrown before
 * anything was changed. Carries no stack: it is expected, and {@link VirtualResolver#firstCached}
 * turns it into "ask the full read".
 */
final class Undecided extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Undecided INSTANCE = new Undecided();

    private Undecided() {
        super("a remote member's answer needs its upstream", null, false, false);
    }
}
