package pbkv.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final PeerAuthInterceptor peerAuth;

    WebConfiguration(PeerAuthInterceptor peerAuth) {
        this.peerAuth = peerAuth;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(peerAuth).addPathPatterns("/replicate", "/replicate/**");
    }
}
