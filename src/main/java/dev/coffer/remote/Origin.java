package dev.coffer.remote;

import java.net.URI;
import java.util.Objects;

/**
 * Where a file of a remote repository comes from when it is not simply {@code {url}/{path}} on the
 * upstream (npm: a package document at {@code {url}/@scope%2fname}, a tarball at the URL its
 * document gives).
 *
 * @param accept the {@code Accept} to send (npm's abbreviated documents), or null
 * @param integrity what the bytes must digest to before they are cached, or null (metadata)
 */
public record Origin(URI uri, String accept, Integrity integrity) {
    public Origin {
        Objects.requireNonNull(uri, "uri");
    }
}
