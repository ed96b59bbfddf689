package uk.nhs.onscene.central;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A HAPI FHIR JPA server (R4) on PostgreSQL: the "real central record" OnScene's interop suite
 * runs against (issue #17). HAPI's own JPA configuration ({@link JpaR4Config}, {@link HapiJpaConfig})
 * does the work; {@link CentralRecordConfig} adds the storage settings a shared care record uses.
 * The FHIR base is http://127.0.0.1:PORT/fhir.
 */
@SpringBootApplication(
		exclude = {
			// HAPI builds its own entity manager (HapiEntityManagerFactoryUtil); Boot's would be a second one.
			HibernateJpaAutoConfiguration.class,
			// HAPI's jars bring Flyway for their own migrator; our schema comes from hbm2ddl.
			FlywayAutoConfiguration.class,
			ElasticsearchRestClientAutoConfiguration.class,
			ElasticsearchClientAutoConfiguration.class,
			ThymeleafAutoConfiguration.class
		})
// Batch2 is HAPI's job framework (terminology storage and reindexing need its coordinator); it
// queues its work on the in-memory channels of SubscriptionChannelConfig.
@Import({
	JpaR4Config.class,
	HapiJpaConfig.class,
	JpaBatch2Config.class,
	Batch2JobsConfig.class,
	SubscriptionChannelConfig.class,
	CentralRecordConfig.class
})
public class CentralRecordApplication {

	public static void main(String[] args) {
		// Spring Batch jobs are HAPI's bulk export/reindex, which the interop suite does not use.
		System.setProperty("spring.batch.job.enabled", "false");
		SpringApplication.run(CentralRecordApplication.class, args);
	}

	@Bean
	public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
		ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(restfulServer, "/fhir/*");
		registration.setLoadOnStartup(1);
		return registration;
	}
}
