ALTER TABLE "performance_letters" ADD COLUMN "answer" text;--> statement-breakpoint
ALTER TABLE "performance_letters" ADD COLUMN "answered_on" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "agreed_investment_fen" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "agreed_investment_by" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "agreed_output_fen" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "agreed_tax_fen" bigint;