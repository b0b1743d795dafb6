package pbkv.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import pbkv.config.ReplicationProperties;

/** Peers are authenticated before this, by Spring Security's peer chain (SecurityConfiguration). */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final MembershipInterceptor membership;

    WebConfiguration(MembershipInterceptor membership) {
        this.membership = membership;
    }

    @Bean
    PendingAnswers pendingAnswers(OutcomeResponses responses, ObjectProvider<RequestMappingHandlerAdapter> mvc,
                                  ReplicationProperties replication) {
        return new PendingAnswers(responses, () -> mvc.getObject().getMessageConverters(),
                replication.writeTimeout().plusSeconds(2));
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(membership).addPathPatterns("/replicate", "/replicate/**");
    }
}
