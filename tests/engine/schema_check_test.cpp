// The live schema is held to the data map: every column declared (as personal or not), everything
// declared still there. Here against a small map of our own; the real map against the real full
// schema is held in the app tests, where every module's migrations exist.
#include "engine/datamap/schema_check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class SchemaCheck : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    create_table(kMembersTable);
    auto parsed = members_map();
    ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
    map_.emplace(std::move(*parsed));
  }

  std::vector<std::string> problems() {
    auto columns = db().columns();
    EXPECT_TRUE(columns.ok()) << describe(columns.error());
    if (!columns.ok()) return {"(columns could not be read)"};
    return engine::check_schema(*map_, *columns);
  }

  std::optional<engine::DataMap> map_;
};

TEST_P(SchemaCheck, EveryColumnDeclaredMeansNoProblems) { EXPECT_THAT(problems(), IsEmpty()); }

TEST_P(SchemaCheck, AnUndeclaredColumnIsNamed) {
  tamper("ALTER TABLE members ADD COLUMN email TEXT");
  EXPECT_THAT(problems(),
              ElementsAre(AllOf(HasSubstr("members.email"), HasSubstr("not declared"))));
}

TEST_P(SchemaCheck, ATableMissingFromTheMapIsNamed) {
  create_table("CREATE TABLE invoices (id BIGINT PRIMARY KEY, amount BIGINT NOT NULL)");
  // One line for the table, not one per column.
  EXPECT_THAT(problems(), ElementsAre("table invoices is not declared in the data map"));
}

TEST_P(SchemaCheck, ADeclaredFieldWhoseColumnIsGoneIsNamed) {
  tamper("ALTER TABLE members DROP COLUMN city");
  EXPECT_THAT(problems(), ElementsAre(AllOf(HasSubstr("member.city"), HasSubstr("members.city"),
                                            HasSubstr("no longer exists"))));
}

TEST_P(SchemaCheck, ADeclaredNonPersonalColumnThatIsGoneIsNamed) {
  tamper("ALTER TABLE members DROP COLUMN joined_at");
  EXPECT_THAT(problems(),
              ElementsAre(AllOf(HasSubstr("members.joined_at"), HasSubstr("does not exist"))));
}

TEST_P(SchemaCheck, ADeclaredTableThatIsGoneIsNamed) {
  tamper("DROP TABLE members");
  EXPECT_THAT(problems(),
              ElementsAre("table members is declared in the data map but does not exist"));
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemaCheck, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
