package dev.coffer.credential;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The raw credential headers of one request, exactly as sent (null when absent). The HTTP layer
 * only copies headers here; deciding what they mean is the Authenticator's job.
 *
 * @param repeated the name of a credential header the request carries more than once, or null: a
 *     proxy or log that reads another copy than we would sees another identity, so such a request
 *     is ambiguous whatever the values are
 */
public record PresentedCredentials(
        String authorization,
        String accessKey,
        String authToken,
        String authUserId,
        String circleToken,
        String clientAddress,
        String repeated) {

    /** Every header that carries a credential (API.md §4), in the order of this record's fields. */
    public static final List<String> HEADERS =
            List.of("Authorization", "X-Auth-AccessKey", "X-Auth-Token", "X-Auth-UserId", "Circle-Token");

    public PresentedCredentials(
            String authorization,
            String accessKey,
            String authToken,
            String authUserId,
            String circleToken,
            String clientAddress) {
        this(authorization, accessKey, authToken, authUserId, circleToken, clientAddress, null);
    }

    /**
     * The credential headers of a request, given all values of a header by its name; a header sent
     * twice is named in {@link #repeated()}.
     */
    public static PresentedCredentials read(Function<String, Iterator<String>> headers, String clientAddress) {
        String[] first = new String[HEADERS.size()];
        String repeated = null;
        for (int i = 0; i < first.length; i++) {
            Iterator<String> values = headers.apply(HEADERS.get(i));
            if (values != null && values.hasNext()) {
                first[i] = values.next();
                if (values.hasNext() && repeated == null) {
                    repeated = HEADERS.get(i);
                }
            }
        }
        return new PresentedCredentials(first[0], first[1], first[2], first[3], first[4], clientAddress, repeated);
    }

    public boolean isEmpty() {
        return authorization == null
                && accessKey == null
                && authToken == null
                && authUserId == null
                && circleToken == null
                && repeated == null;
    }

    @Override
    public String toString() {
        // never print the values: they are secrets
        return "PresentedCredentials[redacted]";
    }
}
