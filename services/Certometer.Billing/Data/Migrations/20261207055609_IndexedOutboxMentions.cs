using System;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certometer.Billing.Data.Migrations
{
    /// <inheritdoc />
    public partial class IndexedOutboxMentions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid[]>(
                name: "mentions",
                table: "outbox_messages",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'::uuid[]");

            OutboxMentions.BackfillExistingRows(migrationBuilder);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_mentions",
                table: "outbox_messages",
                column: "mentions")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_mentions",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "mentions",
                table: "outbox_messages");
        }
    }
}
