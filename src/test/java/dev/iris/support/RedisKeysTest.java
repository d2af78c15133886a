package dev.iris.support;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The key strings are a contract with the data already in Redis: any change here orphans live keys. */
class RedisKeysTest {

    private static final UUID ID = UUID.fromString("0b7e6a3c-5d1f-4c2a-9e8b-7f6a5d4c3b2a");

    @Test
    void everyFamilyKeepsItsName() {
        assertThat(RedisKeys.flow(ID)).isEqualTo("iris:{" + ID + "}:flow");
        assertThat(RedisKeys.flowAttempts(ID)).isEqualTo("iris:{" + ID + "}:attempts");
        assertThat(RedisKeys.resendCooldown(ID)).isEqualTo("iris:{" + ID + "}:cooldown");
        assertThat(RedisKeys.rateLimit("send-ip", "198.18.0.1")).isEqualTo("iris:rl:{send-ip:198.18.0.1}");
        assertThat(RedisKeys.secondFactorLockout(ID)).isEqualTo("iris:rl:{2fa-lockout:" + ID + "}");
        assertThat(RedisKeys.session(new byte[] {0x0a, (byte) 0xff})).isEqualTo("iris:session:0aff");
        assertThat(RedisKeys.sessionRefresh(new byte[] {0x0a, (byte) 0xff})).isEqualTo("iris:session:0aff:refresh");
    }

    @Test
    void keysOneScriptReadsTogetherShareAHashTag() {
        assertThat(tag(RedisKeys.flowAttempts(ID))).isEqualTo(tag(RedisKeys.resendCooldown(ID)))
                .isEqualTo(tag(RedisKeys.flow(ID))).isEqualTo(ID.toString());
    }

    /** The part of the key Redis Cluster hashes: the first non-empty {…}, else the whole key. */
    private static String tag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }
}
