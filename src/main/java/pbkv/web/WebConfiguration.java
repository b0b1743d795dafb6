package pbkv.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import pbkv.config.ReplicationProperties;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    PendingAnswers pendingAnswers(OutcomeResponses responses, ObjectProvider<RequestMappingHandlerAdapter> mvc,
                                  ReplicationProperties replication) {
        return new PendingAnswers(responses, () -> mvc.getObject().getMessageConverters(),
                replication.writeTimeout().plusSeconds(2));
    }
}
