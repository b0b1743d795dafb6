package pbkv.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Client-facing limits: value size, and how many keys one listing returns. */
@ConfigurationProperties("kv")
public record KvProperties(@DefaultValue("1MB") DataSize maxValueSize, @DefaultValue("10000") int maxListSize) {
}
