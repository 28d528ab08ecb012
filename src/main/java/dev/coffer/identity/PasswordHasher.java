package dev.coffer.identity;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.coffer.common.MemoryOnly;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Argon2id (OWASP's baseline: 19 MiB, 2 passes, 1 lane); PHC strings carry their own parameters. */
public final class PasswordHasher {
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID, 19);

    public String hash(String password) {
        MemoryOnly.check(); // tens of milliseconds of CPU: never on a selector thread
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    private static volatile String decoy;

    /**
     * A hash made exactly like the stored ones, of a random password nobody knows; made once per
     * process, on first use. Checking a password against it costs what checking a real one costs.
     */
    public String decoyHash() {
        String d = decoy;
        if (d == null) {
            synchronized (PasswordHasher.class) {
                d = decoy;
                if (d == null) {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    d = hash(HexFormat.of().formatHex(random));
                    decoy = d;
                }
            }
        }
        return d;
    }

    /** Constant-time comparison inside password4j; false for any malformed stored hash. */
    public boolean verify(String password, String storedHash) {
        MemoryOnly.check();
        try {
            return Password.check(password, storedHash).with(Argon2Function.getInstanceFromHash(storedHash));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
