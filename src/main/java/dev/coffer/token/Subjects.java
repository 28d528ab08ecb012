package dev.coffer.token;

import dev.coffer.identity.User;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/** How the issuing rules find the user a key or token is for (the user service, or a table in tests). */
public interface Subjects {
    Optional<User> byName(String username);

    Optional<User> byId(long id);

    static Subjects of(Function<String, Optional<User>> byName, LongFunction<Optional<User>> byId) {
        Objects.requireNonNull(byName, "byName");
        Objects.requireNonNull(byId, "byId");
        return new Subjects() {
            @Override
            public Optional<User> byName(String username) {
                return byName.apply(username);
            }

            @Override
            public Optional<User> byId(long id) {
                return byId.apply(id);
            }
        };
    }
}
