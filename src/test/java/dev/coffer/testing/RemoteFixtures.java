package dev.coffer.testing;

import dev.coffer.repository.ChangeBuilder;
import dev.coffer.repository.RepositoryService;
import java.util.function.UnaryOperator;

/** Remote repositories for HTTP tests, made through the running server's repository service. */
public final class RemoteFixtures {
    private RemoteFixtures() {}

    /** A remote Maven repository of {@code url}; {@code more} sets anything else (credentials, patterns, ...). */
    public static void remote(TestServer s, String name, String url, UnaryOperator<ChangeBuilder> more) {
        s.coffer()
                .services()
                .repositories()
                .put(
                        name,
                        more.apply(RepositoryService.Change.builder()
                                        .packageType("maven")
                                        .rclass("remote")
                                        .url(url))
                                .build());
    }

    public static void remote(TestServer s, String name, String url) {
        remote(s, name, url, UnaryOperator.identity());
    }
}
