// Drives the public npm `talentlms` client (1.1.7), unchanged, against a portal and prints
// what it got as JSON: node talentlms-client.script.cjs <host:port> <api key>
// The client only speaks https://; trust the portal's certificate with NODE_EXTRA_CA_CERTS.
'use strict';
const TalentLMS = require('talentlms');

async function main(host, key) {
  const lms = new TalentLMS(host, key);
  const newUser = {
    first_name: 'Nia',
    last_name: 'Long',
    email: 'nia.long@example.com',
    login: 'nia.long',
    password: 'Secret-123',
  };
  const out = {};
  out.users = await lms.Users.getUsers();
  out.signup = await lms.Users.userSignup(newUser);
  const id = out.signup.id;
  out.byId = await lms.Users.getUserById(id);
  out.byEmail = await lms.Users.getUserByEmail(newUser.email);
  // The client's own setStatus calls users/user_id:N,status:S (a list); usersetstatus is the
  // action, reached through the client's request function.
  out.clientSetStatus = await lms.Users.setStatus(id, 'inactive');
  out.setStatus = await lms.Users._request('GET', `usersetstatus/user_id:${id},status:inactive`);
  out.edit = await lms.Users.editUser({ user_id: id, last_name: 'Long-Smith' });
  out.courses = await lms.Courses.getCourses();
  out.enrol = await lms.Courses.addUserToCourse({ user_id: id, course_id: 10, role: 'learner' });
  out.course = await lms.Courses.getCourse(10);
  out.statusInCourse = await lms.Courses.getUserStatusInCourse(10, id);
  out.branches = await lms.Branches.getBranches();
  out.addToBranch = await lms.Branches.addUsertoBranch(1, id);
  out.branch = await lms.Branches.getBranch(1);
  out.siteInfo = await lms.System.getSiteInfo();
  out.rateLimit = await lms.System.getRateLimit();
  out.unknownUser = await lms.Users.getUserById(999);
  out.duplicate = await lms.Users.userSignup(newUser);
  out.badKey = await new TalentLMS(host, 'not-the-key').Users.getUsers();
  return out;
}

main(process.argv[2], process.argv[3]).then(
  (out) => process.stdout.write(JSON.stringify(out)),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(1);
  },
);
