package dev.coffer.bootstrap;

/** Bad input to a command: the message goes to standard error and the exit code is 2. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message, null, false, false);
    }
}
