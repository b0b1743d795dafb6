package pbkv.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import pbkv.config.ReplicationProperties;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final PeerAuthInterceptor peerAuth;
    private final MembershipInterceptor membership;

    WebConfiguration(PeerAuthInterceptor peerAuth, MembershipInterceptor membership) {
        this.peerAuth = peerAuth;
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
        registry.addInterceptor(peerAuth).addPathPatterns("/replicate", "/replicate/**");
        registry.addInterceptor(membership).addPathPatterns("/replicate", "/replicate/**");
    }
}
